import { Emitter } from '../lib/emitter';
import { isActiveUpload } from './activity';
import { DEFAULT_BACKOFF } from './backoff';
import { browserConnectivity, realClock } from './browserEnv';
import { reopenHandle, type PickedFile } from './fileHandles';
import { FileUpload, type ChangeKind, type FileUploadDeps } from './fileUpload';
import { fingerprint } from './fingerprint';
import type {
  MaxQuality,
  ResumeRecord,
  UploadFile,
  UploadItemState,
  UploadManagerState,
  UploadServer,
  PartTransport,
  ResumeStore,
  Visibility,
} from './types';
import { MAX_FILE_BYTES, validateFile, type UploadLimits } from './validation';

/** What a newly staged file starts with (each row can change it until it starts). */
export interface UploadDefaults {
  maxQuality?: MaxQuality;
  visibility?: Visibility;
}

export interface UploadManagerOptions extends Partial<Omit<FileUploadDeps, 'server' | 'transport' | 'store'>> {
  server: UploadServer;
  transport: PartTransport;
  store: ResumeStore;
  /** Files uploading at once; each has `concurrency` parts in flight. */
  maxConcurrentFiles?: number;
  /** Progress notifications are coalesced to this interval (status changes are immediate). */
  progressThrottleMs?: number;
}

export interface UploadManagerEvents extends Record<string, unknown> {
  completed: { itemId: string; videoId: string };
  failed: { itemId: string; error: string };
}

export interface AddFilesResult {
  added: string[];
  rejected: { fileName: string; reason: string }[];
}

/**
 * The upload queue (Uppy-like core): knows nothing about React. The UI calls the commands and
 * renders `getState()` whenever `subscribe` fires. It lives for the whole page, so a session
 * expiry that routes to the login page does not lose in-progress uploads.
 */
export class UploadManager {
  readonly events = new Emitter<UploadManagerEvents>();
  private readonly deps: FileUploadDeps;
  private readonly tasks = new Map<string, FileUpload>();
  private order: string[] = [];
  private readonly listeners = new Set<(state: UploadManagerState) => void>();
  private userId: string | null = null;
  private limits: UploadLimits = { remainingQuotaBytes: null, maxFileBytes: MAX_FILE_BYTES };
  private readonly maxConcurrentFiles: number;
  private readonly throttleMs: number;
  private snapshot: UploadManagerState = { items: [] };
  private progressTimer: ReturnType<typeof setTimeout> | null = null;
  private nextId = 1;
  /** Items whose file is being reopened from its handle (a second click must not prompt twice). */
  private readonly reopening = new Set<string>();

  constructor(options: UploadManagerOptions) {
    this.deps = {
      server: options.server,
      transport: options.transport,
      store: options.store,
      clock: options.clock ?? realClock,
      connectivity: options.connectivity ?? browserConnectivity,
      random: options.random ?? Math.random,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      concurrency: options.concurrency ?? 4,
      maxResigns: options.maxResigns ?? 3,
    };
    this.maxConcurrentFiles = options.maxConcurrentFiles ?? 1;
    this.throttleMs = options.progressThrottleMs ?? 100;
  }

  getState(): UploadManagerState {
    return this.snapshot;
  }

  subscribe(listener: (state: UploadManagerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setLimits(limits: Partial<UploadLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  /**
   * Switches to a user: the same user (re-login after a session expiry) keeps everything;
   * another user's uploads are stopped (their records stay in IndexedDB for them).
   * Lists the user's unfinished uploads: "Resume" where a file handle was kept, else "pick the file again".
   */
  async setUser(userId: string | null): Promise<void> {
    if (userId === this.userId) return;
    for (const task of this.tasks.values()) task.pause();
    this.tasks.clear();
    this.order = [];
    this.userId = userId;
    if (userId) {
      let records: ResumeRecord[] = [];
      try {
        records = await this.deps.store.list(userId);
      } catch (error) {
        console.warn('resume store unavailable', error);
      }
      if (this.userId !== userId) return;
      for (const record of records) {
        const task = this.createTask(this.itemFromRecord(record), null, record.handle ?? null);
        task.state.status = task.handle ? 'resumable' : 'needs_file';
      }
    }
    this.notify('status');
  }

  /** Stages picked/dropped files; a file matching a pending upload resumes it at once. */
  addFiles(files: ArrayLike<UploadFile>, defaults: UploadDefaults = {}): AddFilesResult {
    return this.addPicked(Array.from(files, (file) => ({ file, handle: null })), defaults);
  }

  /** Like addFiles, for files that come with a File System Access handle (kept for resuming after a restart). */
  addPicked(picked: readonly PickedFile[], defaults: UploadDefaults = {}): AddFilesResult {
    const result: AddFilesResult = { added: [], rejected: [] };
    if (!this.userId) {
      for (const p of picked) result.rejected.push({ fileName: p.file.name, reason: 'Sign in to upload.' });
      return result;
    }
    for (const { file, handle } of picked) {
      const fp = fingerprint(file);
      const existing = [...this.tasks.values()].find((t) => t.state.fingerprint === fp && t.state.status !== 'cancelled');
      if (existing) {
        const s = existing.state.status;
        if (s === 'needs_file' || s === 'resumable' || s === 'error' || (s === 'paused' && !existing.file)) {
          existing.file = file;
          existing.handle = handle;
          existing.state.error = null;
          existing.state.status = 'queued';
          result.added.push(existing.state.id);
          continue;
        }
        if (s !== 'done') {
          result.rejected.push({ fileName: file.name, reason: `"${file.name}" is already in the upload list.` });
          continue;
        }
      }
      const reason = validateFile(file, { ...this.limits, remainingQuotaBytes: this.remainingQuota() });
      if (reason) {
        result.rejected.push({ fileName: file.name, reason });
        continue;
      }
      const task = this.createTask(
        {
          id: `u${this.nextId++}`,
          fingerprint: fp,
          fileName: file.name,
          size: file.size,
          title: defaultTitle(file.name),
          maxQuality: defaults.maxQuality ?? 1080,
          visibility: defaults.visibility ?? 'unlisted',
          status: 'staged',
          videoId: null,
          bytesSent: 0,
          bytesAcknowledged: 0,
          partCount: null,
          partsDone: 0,
          bytesPerSecond: 0,
          etaSeconds: null,
          error: null,
          notice: null,
        },
        file,
        handle,
      );
      result.added.push(task.state.id);
    }
    this.notify('status');
    this.pump();
    return result;
  }

  /** Title, quality and visibility can change until the upload starts. */
  update(id: string, patch: { title?: string; maxQuality?: MaxQuality; visibility?: Visibility }): void {
    const task = this.tasks.get(id);
    if (!task || task.state.status !== 'staged') return;
    if (patch.title !== undefined) task.state.title = patch.title;
    if (patch.maxQuality !== undefined) task.state.maxQuality = patch.maxQuality;
    if (patch.visibility !== undefined) task.state.visibility = patch.visibility;
    this.notify('status');
  }

  start(id: string): void {
    const task = this.tasks.get(id);
    if (!task || task.state.status !== 'staged') return;
    task.state.status = 'queued';
    this.notify('status');
    this.pump();
  }

  startAll(): void {
    for (const task of this.tasks.values()) if (task.state.status === 'staged') task.state.status = 'queued';
    this.notify('status');
    this.pump();
  }

  pause(id: string): void {
    this.tasks.get(id)?.pause();
    this.notify('status');
  }

  /**
   * Continues a paused or failed upload. An upload listed after a reload continues from its stored
   * file handle: call this from the click, because reading the file may need the browser's
   * permission prompt. If permission is refused or the file changed, the item asks for the file.
   */
  async resume(id: string): Promise<void> {
    const task = this.tasks.get(id);
    if (!task) return;
    if (!task.file && task.handle) {
      await this.reopen(task);
      return;
    }
    if (!task.file) {
      task.state.status = 'needs_file';
    } else if (task.state.status === 'paused' || task.state.status === 'error') {
      task.state.error = null;
      task.state.status = 'queued';
    }
    this.notify('status');
    this.pump();
  }

  private async reopen(task: FileUpload): Promise<void> {
    const { handle, state } = task;
    if (!handle || this.reopening.has(state.id)) return;
    this.reopening.add(state.id);
    try {
      const userId = this.userId;
      let record: ResumeRecord | undefined;
      const result = await reopenHandle(handle, async () => {
        record = userId ? await this.deps.store.get(userId, state.fingerprint).catch(() => undefined) : undefined;
        return { fileName: state.fileName, size: state.size, lastModified: record?.lastModified ?? null, fingerprint: state.fingerprint };
      });
      if (this.tasks.get(state.id) !== task || task.file) return; // cancelled, or re-picked meanwhile
      if (result.ok) {
        task.file = result.file;
        state.error = null;
        state.notice = null;
        state.status = 'queued';
      } else {
        state.notice = result.message;
        state.status = 'needs_file';
        if (result.reason !== 'denied') {
          // The handle can no longer give the original bytes: forget it, so the next visit asks for the file.
          task.handle = null;
          if (record) await this.deps.store.put({ ...record, handle: null }).catch(() => undefined);
        }
      }
    } finally {
      this.reopening.delete(state.id);
    }
    this.notify('status');
    this.pump();
  }

  /** Aborts on the server (frees the quota) and forgets the upload. */
  async cancel(id: string): Promise<void> {
    const task = this.tasks.get(id);
    if (!task) return;
    if (task.state.status === 'staged' || (task.state.videoId === null && !task.isRunning)) {
      this.remove(id);
      return;
    }
    await task.cancel();
    this.remove(id);
  }

  /** Removes a finished, failed or staged item from the list (no server call). */
  dismiss(id: string): void {
    const task = this.tasks.get(id);
    if (!task || isActiveUpload(task.state.status) || task.state.status === 'paused') return;
    this.remove(id);
  }

  private remove(id: string): void {
    this.tasks.delete(id);
    this.order = this.order.filter((x) => x !== id);
    this.notify('status');
    this.pump();
  }

  private createTask(state: UploadItemState, file: UploadFile | null, handle: PickedFile['handle']): FileUpload {
    const userId = this.userId;
    if (!userId) throw new Error('no user');
    const task = new FileUpload(state, file, userId, this.deps, (kind) => this.onTaskChange(task, kind));
    task.handle = handle;
    this.tasks.set(state.id, task);
    this.order.push(state.id);
    return task;
  }

  private onTaskChange(task: FileUpload, kind: ChangeKind): void {
    if (this.tasks.get(task.state.id) !== task) return;
    this.notify(kind);
  }

  /** Starts queued tasks while fewer than maxConcurrentFiles run. */
  private pump(): void {
    let running = [...this.tasks.values()].filter((t) => t.isRunning).length;
    for (const id of this.order) {
      if (running >= this.maxConcurrentFiles) break;
      const task = this.tasks.get(id);
      if (!task || task.isRunning || task.state.status !== 'queued') continue;
      running++;
      void task.run().then(() => {
        const { status, videoId, error } = task.state;
        if (status === 'done' && videoId) this.events.emit('completed', { itemId: task.state.id, videoId });
        if (status === 'error') this.events.emit('failed', { itemId: task.state.id, error: error ?? 'Upload failed' });
        this.notify('status');
        this.pump();
      });
    }
  }

  /** Free quota minus what staged/queued files (not yet reserved by the server) will take. */
  private remainingQuota(): number | null {
    if (this.limits.remainingQuotaBytes === null) return null;
    let pending = 0;
    for (const t of this.tasks.values()) {
      if (t.state.videoId === null && (t.state.status === 'staged' || t.state.status === 'queued')) pending += t.state.size;
    }
    return this.limits.remainingQuotaBytes - pending;
  }

  private itemFromRecord(record: ResumeRecord): UploadItemState {
    const acknowledged = record.parts.reduce((sum, p) => sum + p.size, 0);
    return {
      id: `u${this.nextId++}`,
      fingerprint: record.fingerprint,
      fileName: record.fileName,
      size: record.size,
      title: record.title,
      maxQuality: record.maxQuality,
      visibility: record.visibility ?? 'unlisted',
      status: 'needs_file',
      videoId: record.videoId,
      bytesSent: acknowledged,
      bytesAcknowledged: acknowledged,
      partCount: record.partCount,
      partsDone: record.parts.length,
      bytesPerSecond: 0,
      etaSeconds: null,
      error: null,
      notice: null,
    };
  }

  private notify(kind: ChangeKind): void {
    if (kind === 'progress' && this.throttleMs > 0) {
      if (this.progressTimer === null) {
        this.progressTimer = setTimeout(() => {
          this.progressTimer = null;
          this.publish();
        }, this.throttleMs);
      }
      return;
    }
    this.publish();
  }

  private publish(): void {
    // A fresh snapshot per publish so React's useSyncExternalStore sees a new reference.
    this.snapshot = {
      items: this.order.flatMap((id) => {
        const task = this.tasks.get(id);
        return task ? [{ ...task.state }] : [];
      }),
    };
    for (const listener of [...this.listeners]) listener(this.snapshot);
  }
}

function defaultTitle(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot > 0 ? fileName.slice(0, dot) : fileName).slice(0, 200);
}
