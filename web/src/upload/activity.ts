import type { UploadItemStatus } from './types';

/**
 * What "active" means for an upload, in one place for the engine and every screen that asks.
 * Active: the engine is sending it or will without the user doing anything (queued, creating,
 * uploading, waiting for the network, completing). Closing the tab interrupts exactly these, and
 * only these can be paused.
 */
const ACTIVE: ReadonlySet<UploadItemStatus> = new Set<UploadItemStatus>(['queued', 'creating', 'uploading', 'waiting_network', 'completing']);

/** Stopped part-way: the server may hold parts of it, and it goes on only when the user resumes (or picks the file again). */
const INTERRUPTED: ReadonlySet<UploadItemStatus> = new Set<UploadItemStatus>(['paused', 'error', 'needs_file', 'resumable']);

export function isActiveUpload(status: UploadItemStatus): boolean {
  return ACTIVE.has(status);
}

/** Started and not yet finished or cancelled: active or interrupted (a staged file has not started; it is not counted). */
export function isUnfinishedUpload(status: UploadItemStatus): boolean {
  return ACTIVE.has(status) || INTERRUPTED.has(status);
}
