import { ApiError, errorMessage } from '../api/errors';
import type { UploadStatus } from '../api/types';
import { backoffDelay, isRetryableStatus, type BackoffPolicy } from './backoff';
import { abortError, isAbortError } from './browserEnv';
import type { FileHandle } from './fileHandles';
import { allPartNumbers, partLength, partRange } from './partPlan';
import { planResume } from './resumeMerge';
import { SignedUrlCache } from './signedUrlCache';
import { SpeedMeter } from './speedMeter';
import type {
  Clock,
  Connectivity,
  PartTransport,
  PutResult,
  RecordedPart,
  ResumeRecord,
  ResumeStore,
  UploadFile,
  UploadItemState,
  UploadServer,
} from './types';
import { contentTypeOf } from './validation';

export interface FileUploadDeps {
  server: UploadServer;
  transport: PartTransport;
  store: ResumeStore;
  clock: Clock;
  connectivity: Connectivity;
  random: () => number;
  backoff: BackoffPolicy;
  /** Parts in flight per file (design §4: 4). */
  concurrency: number;
  /** Re-signs allowed per part after a 403 "expired". */
  maxResigns: number;
}

export type ChangeKind = 'status' | 'progress';

/**
 * One file's upload, start to finish: create or resume the session, send the parts (4 in flight,
 * each a Blob.slice), record each ETag with the server, complete. `run()` returns when the upload
 * is done, paused, cancelled or failed; its outcome is in `state.status`.
 */
export class FileUpload {
  readonly state: UploadItemState;
  file: UploadFile | null;
  /** The handle `file` came from, if any: stored with the resume record so a restart can reopen the file. */
  handle: FileHandle | null = null;
  private record: ResumeRecord | null = null;
  private controller: AbortController | null = null;
  private running: Promise<void> | null = null;
  private stopReason: 'pause' | 'cancel' | null = null;
  private readonly inflight = new Map<number, number>();
  private readonly acked = new Map<number, RecordedPart>();
  private readonly speed = new SpeedMeter();
  private urls: SignedUrlCache | null = null;
  private persistQueued: Promise<void> | null = null;
  private persistTail: Promise<void> = Promise.resolve();

  constructor(
    state: UploadItemState,
    file: UploadFile | null,
    private readonly userId: string,
    private readonly deps: FileUploadDeps,
    private readonly onChange: (kind: ChangeKind) => void,
  ) {
    this.state = state;
    this.file = file;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Runs the upload; concurrent calls share one run. */
  run(): Promise<void> {
    if (!this.running) {
      this.running = this.execute().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  /** Aborts the in-flight PUTs; recorded parts are kept for `run()` to continue from. */
  pause(): void {
    if (this.running) {
      this.stopReason = 'pause';
      this.controller?.abort();
    } else if (this.state.status === 'queued' || this.state.status === 'staged') {
      this.setStatus('paused');
    }
  }

  /** Stops, aborts the server session (frees quota and storage), forgets the local record. */
  async cancel(): Promise<void> {
    this.stopReason = 'cancel';
    this.controller?.abort();
    await this.running?.catch(() => undefined);
    const videoId = this.state.videoId ?? this.record?.videoId ?? null;
    if (videoId) {
      try {
        await this.deps.server.abort(videoId);
      } catch (error) {
        // 404: already gone. Anything else: the server's idle-session cleanup aborts it later.
        if (!(error instanceof ApiError && error.status === 404)) console.warn('abort failed', error);
      }
    }
    await this.deps.store.delete(this.userId, this.state.fingerprint).catch(() => undefined);
    this.setStatus('cancelled');
  }

  private async execute(): Promise<void> {
    const file = this.file;
    if (!file) {
      this.setStatus('needs_file');
      return;
    }
    this.stopReason = null;
    this.controller = new AbortController();
    const signal = this.controller.signal;
    this.state.error = null;
    try {
      this.setStatus('creating');
      const todo = await this.prepare(file, signal);
      if (todo.length > 0) {
        // The first parts in one sign call, instead of one call per worker racing for its first part.
        this.urls?.prefetch(todo.slice(0, this.signBatch()));
        this.setStatus('uploading');
        await this.sendParts(file, todo, signal);
      }
      await this.persistTail;
      this.setStatus('completing');
      const videoId = this.requireRecord().videoId;
      await this.withApiRetry(() => this.deps.server.complete(videoId), signal);
      await this.deps.store.delete(this.userId, this.state.fingerprint).catch(() => undefined);
      this.state.bytesSent = this.state.bytesAcknowledged = file.size;
      this.state.etaSeconds = 0;
      this.setStatus('done');
    } catch (error) {
      if (this.stopReason === 'cancel') return; // cancel() sets the final state
      if (this.stopReason === 'pause' || (isAbortError(error) && signal.aborted)) {
        this.setStatus('paused');
      } else if (error instanceof ApiError && error.status === 401) {
        // The refresh failed too: keep everything and let the user sign in and press Resume.
        this.state.error = 'Your session expired. Sign in again, then press Resume.';
        this.setStatus('paused');
      } else {
        this.state.error = errorMessage(error);
        this.setStatus('error');
      }
    } finally {
      // no write of this run's record may land after the next run has replaced or deleted it
      await this.persistTail.catch(() => undefined);
      this.inflight.clear();
      this.updateProgress();
      this.controller = null;
    }
  }

  /** Creates a session or continues the recorded one; returns the parts still to send. */
  private async prepare(file: UploadFile, signal: AbortSignal): Promise<number[]> {
    const { server, store } = this.deps;
    const local = this.record ?? (await store.get(this.userId, this.state.fingerprint));
    if (local) {
      let status: UploadStatus | null;
      try {
        status = await this.withApiRetry(() => server.status(local.videoId), signal);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
        status = null;
      }
      const plan = planResume(local, status, file.size);
      if (plan.kind !== 'restart') {
        // The record follows the file in use: a re-pick without a handle drops a stale one.
        local.handle = this.handle;
        this.adopt(local);
        this.acked.clear();
        if (plan.kind === 'resume') {
          for (const p of plan.done) this.acked.set(p.partNumber, p);
          local.parts = plan.done;
          local.updatedAt = this.deps.clock.now();
          await store.put(local);
          this.updateProgress();
          return plan.todo;
        }
        // 'complete' / 'already_completed': all bytes are stored; completing is idempotent.
        for (const n of allPartNumbers(local.partCount)) {
          this.acked.set(n, { partNumber: n, etag: '', size: partLength(n, local.partSize, file.size) });
        }
        this.updateProgress();
        return [];
      }
      this.state.notice = plan.reason;
      await store.delete(this.userId, this.state.fingerprint);
      this.record = null;
    }

    const created = await this.withApiRetry(
      () =>
        server.create({
          fileName: file.name,
          size: file.size,
          contentType: contentTypeOf(file),
          title: this.state.title || undefined,
          maxQuality: this.state.maxQuality,
          visibility: this.state.visibility,
        }),
      signal,
    );
    const now = this.deps.clock.now();
    const record: ResumeRecord = {
      userId: this.userId,
      fingerprint: this.state.fingerprint,
      videoId: created.videoId,
      fileName: file.name,
      size: file.size,
      lastModified: file.lastModified,
      contentType: contentTypeOf(file),
      title: this.state.title,
      maxQuality: this.state.maxQuality,
      visibility: this.state.visibility,
      mode: created.mode,
      partSize: created.partSize,
      partCount: created.partCount,
      parts: [],
      createdAt: now,
      updatedAt: now,
      handle: this.handle,
    };
    await store.put(record);
    this.adopt(record);
    this.acked.clear();
    if (created.mode === 'single' && created.url) this.urls?.seed(1, created.url, created.expiresAt);
    this.updateProgress();
    return allPartNumbers(created.partCount);
  }

  private adopt(record: ResumeRecord): void {
    this.record = record;
    this.state.videoId = record.videoId;
    this.state.partCount = record.partCount;
    this.urls = new SignedUrlCache((numbers) => this.deps.server.sign(record.videoId, numbers), () => this.deps.clock.now());
    this.onChange('status');
  }

  private requireRecord(): ResumeRecord {
    if (!this.record) throw new Error('upload session missing');
    return this.record;
  }

  /**
   * A small worker pool over the queue of parts; the first hard failure stops the others.
   * A worker records a part's ETag (API call + local record) while its next PUT is already on the
   * wire, so the pipe to storage never idles on that round trip; at most one recording per worker
   * is outstanding, and a part counts as acknowledged only once it is recorded.
   */
  private async sendParts(file: UploadFile, todo: number[], signal: AbortSignal): Promise<void> {
    const queue = [...todo];
    const stopOthers = new AbortController();
    const onOuterAbort = () => stopOthers.abort();
    signal.addEventListener('abort', onOuterAbort, { once: true });
    let failure: unknown = null;
    const fail = (error: unknown) => {
      if (failure === null && !isAbortError(error)) failure = error;
      stopOthers.abort();
    };
    const worker = async () => {
      let recording: Promise<void> = Promise.resolve(); // never rejects: failures go to fail()
      try {
        while (queue.length > 0 && !stopOthers.signal.aborted) {
          const partNumber = queue.shift();
          if (partNumber === undefined) break;
          const etag = await this.putPart(file, partNumber, queue, stopOthers.signal);
          await recording;
          if (stopOthers.signal.aborted) break;
          recording = this.recordPart(file, partNumber, etag, stopOthers.signal).catch(fail);
        }
      } catch (error) {
        fail(error);
      }
      await recording;
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.deps.concurrency, todo.length) }, worker));
    } finally {
      signal.removeEventListener('abort', onOuterAbort);
    }
    if (failure !== null) throw failure;
    if (signal.aborted) throw abortError();
  }

  /**
   * PUTs one part (re-signing, retrying, waiting for the network as needed) and returns its ETag.
   * On success the part stays counted as in flight (all its bytes) until `recordPart` settles.
   */
  private async putPart(file: UploadFile, partNumber: number, queue: number[], signal: AbortSignal): Promise<string> {
    const record = this.requireRecord();
    const urls = this.urls;
    if (!urls) throw new Error('upload session missing');
    const { start, end } = partRange(partNumber, record.partSize, file.size);
    // Only this part's bytes; the browser reads them from disk as the request streams.
    const body = file.slice(start, end);
    let retries = 0;
    let resigns = 0;
    for (;;) {
      await this.waitUntilOnline(signal);
      // Sign this part plus the next few in queue order: a small batch, just in time.
      const upcoming = queue.slice(0, this.deps.concurrency);
      const url = await this.withApiRetry(() => urls.get(partNumber, upcoming), signal);
      // Keep URLs signed a batch ahead of the PUTs, off the workers' path (see SignedUrlCache.prefetch).
      urls.prefetch(queue.slice(0, 2 * this.deps.concurrency), this.deps.concurrency, this.signBatch());
      let result: PutResult;
      try {
        result = await this.deps.transport.put(url, body, (loaded) => {
          this.inflight.set(partNumber, Math.min(loaded, end - start));
          this.updateProgress();
        }, signal);
      } catch (error) {
        this.inflight.delete(partNumber);
        throw error;
      }
      if (result.status >= 200 && result.status < 300 && result.etag) {
        this.inflight.set(partNumber, end - start);
        return result.etag;
      }
      this.inflight.delete(partNumber);
      if (result.status >= 200 && result.status < 300) {
        throw new Error('Storage did not return the part ETag (the bucket CORS rule must expose the ETag header).');
      }
      if (result.status === 403 && /expired/i.test(result.body) && resigns < this.deps.maxResigns) {
        resigns++;
        urls.invalidate(partNumber);
        continue;
      }
      if (result.status === 0 && !this.deps.connectivity.isOnline()) continue; // went offline: wait, no retry spent
      if (isRetryableStatus(result.status) && retries < this.deps.backoff.retries) {
        retries++;
        await this.deps.clock.sleep(backoffDelay(retries, this.deps.backoff, this.deps.random), signal);
        continue;
      }
      throw new Error(
        result.status === 0
          ? `Part ${partNumber} could not be sent: network error after ${retries} retries.`
          : `Part ${partNumber} was refused by storage (HTTP ${result.status})${storageMessage(result.body)}.`,
      );
    }
  }

  /**
   * Saves the local resume record after a part is recorded. A resume trusts the server's part table;
   * the local copy only feeds the list shown after a reload, so while one write is in flight the parts
   * recorded meanwhile go out in a single next write (the record is mutated in place and cloned when
   * that write starts) instead of one IndexedDB transaction per part, each cloning the whole part list:
   * quadratic over a many-part upload, and browser-process CPU taken from the transfer.
   */
  private persist(record: ResumeRecord): Promise<void> {
    if (this.persistQueued) return this.persistQueued;
    const queued = this.persistTail
      .catch(() => undefined)
      .then(() => {
        this.persistQueued = null;
        return this.deps.store.put(record);
      });
    this.persistQueued = queued;
    this.persistTail = queued;
    return queued;
  }

  /** Parts per sign call: the ones about to start plus one, small enough to be signed just in time. */
  private signBatch(): number {
    return this.deps.concurrency + 1;
  }

  /** Records a sent part with the server, then in the local resume record; then it is acknowledged. */
  private async recordPart(file: UploadFile, partNumber: number, etag: string, signal: AbortSignal): Promise<void> {
    const record = this.requireRecord();
    const { start, end } = partRange(partNumber, record.partSize, file.size);
    try {
      await this.withApiRetry(() => this.deps.server.recordPart(record.videoId, partNumber, etag, end - start), signal);
      const part = { partNumber, etag, size: end - start };
      this.acked.set(partNumber, part);
      record.parts = [...record.parts.filter((p) => p.partNumber !== partNumber), part];
      record.updatedAt = this.deps.clock.now();
      await this.persist(record);
    } finally {
      this.inflight.delete(partNumber);
      this.updateProgress();
    }
  }

  /** API calls retry network errors and 5xx with the same backoff; 4xx are final. */
  private async withApiRetry<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    let retries = 0;
    for (;;) {
      if (signal.aborted) throw abortError();
      await this.waitUntilOnline(signal);
      try {
        return await call();
      } catch (error) {
        if (signal.aborted) throw abortError();
        const status = error instanceof ApiError ? error.status : -1;
        if (status === 0 && !this.deps.connectivity.isOnline()) continue;
        if (!isRetryableStatus(status) || retries >= this.deps.backoff.retries) throw error;
        retries++;
        await this.deps.clock.sleep(backoffDelay(retries, this.deps.backoff, this.deps.random), signal);
      }
    }
  }

  private async waitUntilOnline(signal: AbortSignal): Promise<void> {
    if (this.deps.connectivity.isOnline()) return;
    const previous = this.state.status;
    this.setStatus('waiting_network');
    await this.deps.connectivity.waitOnline(signal);
    this.setStatus(previous === 'waiting_network' ? 'uploading' : previous);
  }

  private updateProgress(): void {
    let acknowledged = 0;
    for (const p of this.acked.values()) acknowledged += p.size;
    let inFlight = 0;
    for (const loaded of this.inflight.values()) inFlight += loaded;
    const size = this.file?.size ?? this.state.size;
    this.state.bytesAcknowledged = Math.min(acknowledged, size);
    this.state.bytesSent = Math.min(acknowledged + inFlight, size);
    this.state.partsDone = this.acked.size;
    this.speed.update(this.state.bytesSent, this.deps.clock.now());
    const active = this.state.status === 'uploading';
    this.state.bytesPerSecond = active ? this.speed.bytesPerSecond() : 0;
    this.state.etaSeconds = active ? this.speed.etaSeconds(size - this.state.bytesSent) : null;
    this.onChange('progress');
  }

  private setStatus(status: UploadItemState['status']): void {
    if (this.state.status === status) return;
    this.state.status = status;
    if (status !== 'uploading') {
      this.speed.reset();
      this.state.bytesPerSecond = 0;
      this.state.etaSeconds = status === 'done' ? 0 : null;
    }
    this.onChange('status');
  }
}

/** The S3 error code/message from an XML error body, for a readable failure. */
function storageMessage(body: string): string {
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
  if (!code && !message) return '';
  return `: ${[code, message].filter(Boolean).join(' – ')}`;
}
