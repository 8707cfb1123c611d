import { fingerprint } from './fingerprint';
import type { UploadFile } from './types';

/**
 * The File System Access API's file handle, as far as the uploader uses it. A real
 * FileSystemFileHandle satisfies it and survives in IndexedDB (it is structured-cloneable), which
 * is what lets an upload interrupted by a reload or a browser restart resume without picking the
 * file again. The permission methods are Chromium's (not in TypeScript's DOM library); handles
 * from the origin-private file system have them too and always answer "granted".
 */
export interface FileHandle {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<UploadFile>;
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
}

/** A file the user picked, with its handle where the browser gave one. */
export interface PickedFile {
  file: UploadFile;
  handle: FileHandle | null;
}

interface PickerWindow {
  showOpenFilePicker?: (options: {
    multiple?: boolean;
    excludeAcceptAllOption?: boolean;
    types?: { description: string; accept: Record<string, string[]> }[];
  }) => Promise<FileHandle[]>;
}

/** True where picking through showOpenFilePicker gives handles (Chromium-based browsers, secure contexts). */
export function supportsFileHandles(win: unknown = globalThis): boolean {
  return typeof (win as PickerWindow | undefined)?.showOpenFilePicker === 'function';
}

/**
 * Opens the browser's picker and returns the chosen files with their handles; an empty list when
 * the user closes the picker. Other failures (a blocked picker, say) are thrown, so the caller can
 * fall back to the plain file input.
 */
export async function pickFiles(extensions: readonly string[], win: unknown = globalThis): Promise<PickedFile[]> {
  const picker = (win as PickerWindow).showOpenFilePicker;
  if (!picker) throw new Error('showOpenFilePicker is not available');
  let handles: FileHandle[];
  try {
    handles = await picker.call(win, {
      multiple: true,
      // The "All files" entry stays: a video with an unusual extension is still accepted by type.
      types: [{ description: 'Video files', accept: { 'video/*': [...extensions] } }],
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') return [];
    throw error;
  }
  return Promise.all(handles.map(async (handle) => ({ file: await handle.getFile(), handle })));
}

interface HandleDataTransferItem {
  kind: string;
  getAsFile(): File | null;
  getAsFileSystemHandle?: () => Promise<{ kind: string } | null>;
}

/**
 * The dropped files with their handles where the browser offers them. Must be called during the
 * drop event: the items are unreadable once it returns, so every request starts synchronously.
 */
export function droppedFiles(items: ArrayLike<HandleDataTransferItem>): Promise<PickedFile[]> {
  const pending = Array.from(items)
    .filter((item) => item.kind === 'file')
    .map((item) => {
      const file = item.getAsFile();
      const handle = item.getAsFileSystemHandle ? item.getAsFileSystemHandle().catch(() => null) : Promise.resolve(null);
      return { file, handle };
    });
  return Promise.all(
    pending.map(async ({ file, handle }): Promise<PickedFile | null> => {
      if (!file) return null;
      const h = await handle;
      return { file, handle: h && h.kind === 'file' ? (h as unknown as FileHandle) : null };
    }),
  ).then((list) => list.filter((p): p is PickedFile => p !== null));
}

export type ReopenResult =
  | { ok: true; file: UploadFile }
  | { ok: false; reason: 'denied' | 'missing' | 'changed'; message: string };

/** What the resume record remembers about the file. */
export interface ExpectedFile {
  fileName: string;
  size: number;
  /** Null when only the fingerprint is known (it contains the modification time too). */
  lastModified: number | null;
  fingerprint: string;
}

/**
 * Gets the file back from a stored handle: asks for read permission (the browser shows one prompt
 * when it has to; the call must come from a click), then checks that the file is still the one the
 * upload started with, so parts already stored are never combined with bytes of another version.
 * `expected` may be loaded lazily: the permission request comes first, while the click's user
 * activation is fresh.
 */
export async function reopenHandle(handle: FileHandle, expectedFile: ExpectedFile | (() => Promise<ExpectedFile>)): Promise<ReopenResult> {
  let permission: PermissionState = 'granted';
  try {
    if (handle.queryPermission) permission = await handle.queryPermission({ mode: 'read' });
    if (permission !== 'granted' && handle.requestPermission) permission = await handle.requestPermission({ mode: 'read' });
  } catch {
    // Chromium throws (rather than prompting) without a user gesture: treat it as not granted.
    permission = 'denied';
  }
  const expected = typeof expectedFile === 'function' ? await expectedFile() : expectedFile;
  const name = expected.fileName;
  if (permission !== 'granted') {
    return { ok: false, reason: 'denied', message: `Reading "${name}" was not allowed. Pick the same file again to resume.` };
  }
  let file: UploadFile;
  try {
    file = await handle.getFile();
  } catch {
    return { ok: false, reason: 'missing', message: `"${name}" is no longer where it was picked from. Pick the same file again to resume.` };
  }
  const changed: string[] = [];
  if (file.size !== expected.size) changed.push('its size');
  if (expected.lastModified !== null && file.lastModified !== expected.lastModified) changed.push('its modification time');
  if (changed.length === 0 && fingerprint(file) !== expected.fingerprint) changed.push('its name');
  if (changed.length > 0) {
    return {
      ok: false,
      reason: 'changed',
      message: `"${name}" changed since the upload started (${changed.join(' and ')}). Pick the original file to resume, or cancel the upload.`,
    };
  }
  return { ok: true, file };
}
