/** DTOs of docs/api.md (v1). Kept 1:1 with the document so a mismatch is easy to spot. */
export type Role = 'user' | 'admin';

export interface User {
  id: string;
  email: string;
  role: Role;
}

export interface AuthResult {
  accessToken: string;
  expiresAt: string;
  user: User;
}

export interface Me extends User {
  storageUsedBytes: number;
  /** null = unlimited (admins). */
  quotaBytes: number | null;
  createdAt: string;
}

export type MaxQuality = 360 | 480 | 720 | 1080;
export type UploadMode = 'single' | 'multipart';

export interface CreateUploadRequest {
  fileName: string;
  size: number;
  contentType: string;
  title?: string;
  maxQuality?: MaxQuality;
}

export interface UploadCreated {
  videoId: string;
  mode: UploadMode;
  partSize: number;
  partCount: number;
  url?: string;
  expiresAt: string;
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
  size: number;
}

export type UploadSessionState = 'active' | 'completed' | 'aborted' | 'expired';

export interface UploadStatus {
  videoId: string;
  state: UploadSessionState;
  mode: UploadMode;
  fileName: string;
  size: number;
  contentType: string;
  partSize: number;
  partCount: number;
  parts: UploadedPart[];
  expiresAt: string;
}

export interface SignedPart {
  partNumber: number;
  url: string;
  expiresAt: string;
}

export type VideoStatus = 'pending_upload' | 'uploading' | 'processing' | 'ready' | 'failed';

export interface Rendition {
  id: string;
  width: number;
  height: number;
  bandwidth: number;
}

export interface Video {
  id: string;
  ownerId: string;
  ownerEmail: string;
  title: string;
  fileName: string;
  status: VideoStatus;
  progress: number;
  sizeBytes: number;
  maxQuality: number | null;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  manifestUrl: string | null;
  posterUrl: string | null;
  thumbnailsVttUrl: string | null;
  processingAttempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  readyAt: string | null;
  /** Probe details are shown raw on the admin page; their shape belongs to the worker. */
  probe: Record<string, unknown> | null;
  renditions: Rendition[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type VideoSort = 'created_desc' | 'created_asc' | 'title_asc' | 'title_desc' | 'size_desc';

export interface VideoEvent {
  videoId: string;
  ownerId: string;
  status: VideoStatus;
  progress: number;
  error: string | null;
}

export interface AdminUser {
  id: string;
  email: string;
  role: Role;
  storageUsedBytes: number;
  quotaBytes: number | null;
  videoCount: number;
  createdAt: string;
}

export type JobState = 'scheduled' | 'processing' | 'succeeded' | 'failed';

export interface JobStats {
  scheduled: number;
  processing: number;
  succeeded: number;
  failed: number;
  history: { minute: string; succeeded: number; failed: number }[];
}

export interface JobAttempt {
  attempt: number;
  worker: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  outcome: 'running' | 'succeeded' | 'failed' | 'retrying' | 'released';
  error: string | null;
}

export interface Job {
  videoId: string;
  title: string;
  ownerEmail: string;
  state: JobState;
  worker: string | null;
  enqueuedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  queueLatencyMs: number | null;
  attempts: number | JobAttempt[];
  lastError: string | null;
}

export interface JobDetail extends Omit<Job, 'attempts'> {
  attempts: JobAttempt[];
}

export interface WorkerNode {
  name: string;
  lastHeartbeat: string;
  running: number;
  capacity: number;
}
