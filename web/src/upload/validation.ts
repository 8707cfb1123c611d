import type { UploadFile } from './types';
import { formatBytes } from '../lib/format';

/** What the uploader accepts, shown to the user before they pick anything. */
export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.mkv', '.webm', '.avi', '.m4v'] as const;
export const MAX_FILE_BYTES = 50_000_000_000; // 50 GB, Uploads:MaxFileBytes

export interface UploadLimits {
  /** Bytes still free in the user's quota; null = unlimited. */
  remainingQuotaBytes: number | null;
  maxFileBytes: number;
}

export function hasVideoExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return VIDEO_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Returns a readable reason when the file cannot be uploaded, null when it can. */
export function validateFile(file: Pick<UploadFile, 'name' | 'size' | 'type'>, limits: UploadLimits): string | null {
  const isVideo = file.type.startsWith('video/') || hasVideoExtension(file.name);
  if (!isVideo) {
    return `"${file.name}" is not a video. Accepted: ${VIDEO_EXTENSIONS.join(' ')} (or any video/* file).`;
  }
  if (file.size <= 0) return `"${file.name}" is empty.`;
  if (file.size > limits.maxFileBytes) {
    return `"${file.name}" is ${formatBytes(file.size)}; the limit is ${formatBytes(limits.maxFileBytes)} per file.`;
  }
  if (limits.remainingQuotaBytes !== null && file.size > limits.remainingQuotaBytes) {
    return `"${file.name}" is ${formatBytes(file.size)} but only ${formatBytes(Math.max(0, limits.remainingQuotaBytes))} of your quota is left.`;
  }
  return null;
}

/** Content type to declare: the browser's, or one guessed from the extension (some OSes give ""). */
export function contentTypeOf(file: Pick<UploadFile, 'name' | 'type'>): string {
  if (file.type) return file.type;
  const lower = file.name.toLowerCase();
  if (lower.endsWith('.mov')) return 'video/quicktime';
  if (lower.endsWith('.mkv')) return 'video/x-matroska';
  if (lower.endsWith('.webm')) return 'video/webm';
  if (lower.endsWith('.avi')) return 'video/x-msvideo';
  if (lower.endsWith('.m4v')) return 'video/x-m4v';
  return 'video/mp4';
}
