import type { UploadFile } from './types';

/** Identifies "the same file" across reloads without reading it: name|size|lastModified (design §4). */
export function fingerprint(file: Pick<UploadFile, 'name' | 'size' | 'lastModified'>): string {
  return `${file.name}|${file.size}|${file.lastModified}`;
}
