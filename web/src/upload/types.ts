/**
 * Contracts of the upload engine. Everything the engine touches from the outside world (the API,
 * the storage PUT, time, randomness, connectivity, persistence) comes in through one of these, so
 * the engine runs unchanged in the browser and in Vitest.
 */
import type { MaxQuality, SignedPart, UploadCreated, UploadMode, UploadStatus, CreateUploadRequest, Visibility } from '../api/types';
import type { FileHandle } from './fileHandles';

export type { MaxQuality, Visibility };

/** The API calls of docs/api.md "Uploads". */
export interface UploadServer {
  create(req: CreateUploadRequest): Promise<UploadCreated>;
  status(videoId: string): Promise<UploadStatus>;
  sign(videoId: string, partNumbers: number[]): Promise<SignedPart[]>;
  recordPart(videoId: string, partNumber: number, etag: string, size: number): Promise<void>;
  complete(videoId: string): Promise<unknown>;
  abort(videoId: string): Promise<void>;
}

export interface PutResult {
  /** 0 = network error (no HTTP answer). */
  status: number;
  etag: string | null;
  body: string;
}

/** PUTs bytes to a presigned URL. Rejects with an AbortError when the signal aborts. */
export interface PartTransport {
  put(url: string, body: Blob, onProgress: (loadedBytes: number) => void, signal: AbortSignal): Promise<PutResult>;
}

export interface Clock {
  now(): number;
  /** Resolves after ms, rejects with an AbortError when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface Connectivity {
  isOnline(): boolean;
  /** Resolves on the next `online` event (at once if already online). */
  waitOnline(signal: AbortSignal): Promise<void>;
}

export interface RecordedPart {
  partNumber: number;
  etag: string;
  size: number;
}

/** What IndexedDB keeps per file so an upload survives reloads and browser restarts. */
export interface ResumeRecord {
  userId: string;
  fingerprint: string;
  videoId: string;
  fileName: string;
  size: number;
  lastModified: number;
  contentType: string;
  title: string;
  maxQuality: MaxQuality;
  /** Absent in records written before visibility existed. */
  visibility?: Visibility;
  mode: UploadMode;
  partSize: number;
  partCount: number;
  parts: RecordedPart[];
  createdAt: number;
  updatedAt: number;
  /** Where the browser has the File System Access API: the picked file, to reopen it after a restart. */
  handle?: FileHandle | null;
}

export interface ResumeStore {
  list(userId: string): Promise<ResumeRecord[]>;
  get(userId: string, fingerprint: string): Promise<ResumeRecord | undefined>;
  put(record: ResumeRecord): Promise<void>;
  delete(userId: string, fingerprint: string): Promise<void>;
}

/** The minimum of a File the engine needs (a real File satisfies it). */
export interface UploadFile {
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly lastModified: number;
  slice(start?: number, end?: number): Blob;
}

export type UploadItemStatus =
  | 'staged' // picked, waiting for the user to start (quality/title editable)
  | 'queued' // started, waiting for its turn
  | 'creating' // POST /uploads or resume check
  | 'uploading'
  | 'waiting_network' // navigator.onLine is false
  | 'completing'
  | 'paused'
  | 'needs_file' // known from IndexedDB, the user has to pick the file again
  | 'resumable' // known from IndexedDB with a file handle: "Resume" reopens the file (one permission click)
  | 'done'
  | 'error'
  | 'cancelled';

export interface UploadItemState {
  /** Local id (stable for the item's life in the list). */
  id: string;
  fingerprint: string;
  fileName: string;
  size: number;
  title: string;
  maxQuality: MaxQuality;
  visibility: Visibility;
  status: UploadItemStatus;
  videoId: string | null;
  /** Bytes the server has acknowledged (recorded parts) plus in-flight progress. */
  bytesSent: number;
  /** Bytes in parts the server recorded. */
  bytesAcknowledged: number;
  partCount: number | null;
  partsDone: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
  error: string | null;
  /** Informational message (e.g. "previous session expired, started again"). */
  notice: string | null;
}

export interface UploadManagerState {
  items: UploadItemState[];
}
