/** Test doubles for the upload engine (used by *.test.ts only). */
import type { SignedPart, UploadCreated, UploadStatus, CreateUploadRequest } from '../api/types';
import { ApiError } from '../api/errors';
import type { Clock, Connectivity, PartTransport, PutResult, UploadFile, UploadServer } from './types';

export class FakeFile implements UploadFile {
  readonly type: string;
  readonly size: number;
  constructor(readonly name: string, readonly bytes: Uint8Array, readonly lastModified = 1_700_000_000_000, type = 'video/mp4') {
    this.size = bytes.length;
    this.type = type;
  }
  slice(start = 0, end = this.size): Blob {
    return new Blob([this.bytes.slice(start, end)]);
  }
}

export function makeBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

interface Session {
  videoId: string;
  state: UploadStatus['state'];
  mode: 'single' | 'multipart';
  req: CreateUploadRequest;
  partSize: number;
  partCount: number;
  parts: Map<number, { etag: string; size: number }>;
}

/** An in-memory server following docs/api.md. */
export class FakeServer implements UploadServer {
  sessions = new Map<string, Session>();
  calls: string[] = [];
  signCalls: number[][] = [];
  completed: string[] = [];
  aborted: string[] = [];
  partSize = 10;
  multipartThreshold = 25;
  nextId = 1;
  /** Lets a test fail the next N calls of a kind. */
  failNext: Partial<Record<'create' | 'sign' | 'record' | 'complete' | 'status', ApiError[]>> = {};
  urlExpiresAt = '2999-01-01T00:00:00Z';

  private maybeFail(kind: keyof FakeServer['failNext']): void {
    const error = this.failNext[kind]?.shift();
    if (error) throw error;
  }

  async create(req: CreateUploadRequest): Promise<UploadCreated> {
    this.calls.push('create');
    this.maybeFail('create');
    const videoId = `v${this.nextId++}`;
    const single = req.size <= this.multipartThreshold;
    const partSize = single ? req.size : this.partSize;
    const partCount = single ? 1 : Math.ceil(req.size / this.partSize);
    this.sessions.set(videoId, { videoId, state: 'active', mode: single ? 'single' : 'multipart', req, partSize, partCount, parts: new Map() });
    return {
      videoId,
      mode: single ? 'single' : 'multipart',
      partSize,
      partCount,
      url: single ? `https://s3.test/${videoId}/1?sig=create` : null, // the API writes the property as null for multipart
      expiresAt: this.urlExpiresAt,
    };
  }

  private session(videoId: string): Session {
    const s = this.sessions.get(videoId);
    if (!s) throw new ApiError(404, 'Not found');
    return s;
  }

  async status(videoId: string): Promise<UploadStatus> {
    this.calls.push('status');
    this.maybeFail('status');
    const s = this.session(videoId);
    return {
      videoId,
      state: s.state,
      mode: s.mode,
      fileName: s.req.fileName,
      size: s.req.size,
      contentType: s.req.contentType,
      partSize: s.partSize,
      partCount: s.partCount,
      parts: [...s.parts].map(([partNumber, p]) => ({ partNumber, ...p })),
      expiresAt: '2999-01-01T00:00:00Z',
    };
  }

  async sign(videoId: string, partNumbers: number[]): Promise<SignedPart[]> {
    this.calls.push('sign');
    this.signCalls.push(partNumbers);
    this.maybeFail('sign');
    this.session(videoId);
    return partNumbers.map((n) => ({ partNumber: n, url: `https://s3.test/${videoId}/${n}?sig=${this.signCalls.length}`, expiresAt: this.urlExpiresAt }));
  }

  /** Lets a test hold a part's recording (e.g. until it has seen the next PUT start). */
  recordGate: ((partNumber: number) => Promise<void>) | null = null;

  async recordPart(videoId: string, partNumber: number, etag: string, size: number): Promise<void> {
    this.calls.push(`record:${partNumber}`);
    await this.recordGate?.(partNumber);
    this.maybeFail('record');
    this.session(videoId).parts.set(partNumber, { etag, size });
  }

  async complete(videoId: string): Promise<unknown> {
    this.calls.push('complete');
    this.maybeFail('complete');
    const s = this.session(videoId);
    if (s.parts.size !== s.partCount && s.mode === 'multipart') throw new ApiError(400, 'Parts missing');
    s.state = 'completed';
    this.completed.push(videoId);
    return { id: videoId, status: 'processing' };
  }

  async abort(videoId: string): Promise<void> {
    this.calls.push('abort');
    this.session(videoId).state = 'aborted';
    this.aborted.push(videoId);
  }
}

export interface PutCall {
  url: string;
  videoId: string;
  partNumber: number;
  bytes: Uint8Array;
}

type Responder = (call: PutCall, signal: AbortSignal) => Promise<PutResult> | PutResult;

/** Storage PUTs: by default answer 200 with an ETag; a test can script responses. */
export class FakeTransport implements PartTransport {
  puts: PutCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  responders: Responder[] = [];
  fallback: Responder = (call) => ({ status: 200, etag: `"etag-${call.partNumber}"`, body: '' });

  async put(url: string, body: Blob, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<PutResult> {
    const m = /s3\.test\/([^/]+)\/(\d+)/.exec(url);
    const call: PutCall = { url, videoId: m?.[1] ?? '', partNumber: Number(m?.[2]), bytes: new Uint8Array(await body.arrayBuffer()) };
    this.puts.push(call);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await Promise.resolve();
      if (signal.aborted) throw new DOMException('Aborted', 'AbortError');
      onProgress(Math.floor(call.bytes.length / 2));
      const responder = this.responders.shift() ?? this.fallback;
      const result = await responder(call, signal);
      if (result.status === 200) onProgress(call.bytes.length);
      return result;
    } finally {
      this.inFlight--;
    }
  }
}

/** A PUT that hangs until the signal aborts it (simulates a slow transfer being paused). */
export function hangUntilAborted(_call: PutCall, signal: AbortSignal): Promise<PutResult> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')), { once: true });
  });
}

export class FakeClock implements Clock {
  time = 1_000_000;
  sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    if (signal.aborted) throw new DOMException('Aborted', 'AbortError');
  }
}

export class FakeConnectivity implements Connectivity {
  online = true;
  private waiters: (() => void)[] = [];
  waits = 0;
  isOnline(): boolean {
    return this.online;
  }
  waitOnline(signal: AbortSignal): Promise<void> {
    if (this.online) return Promise.resolve();
    this.waits++;
    return new Promise((resolve, reject) => {
      this.waiters.push(resolve);
      signal.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')), { once: true });
    });
  }
  goOnline(): void {
    this.online = true;
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Resolves once `predicate` holds, polling the event loop (engine work is all promise-based). */
export async function until(predicate: () => boolean, what = 'condition', timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** A File System Access handle: its file can change underneath, its permission can be refused. */
export class FakeHandle {
  readonly kind = 'file' as const;
  queries = 0;
  requests = 0;
  /** What queryPermission answers, and what requestPermission answers (the user's click on the prompt). */
  permission: PermissionState = 'granted';
  onRequest: PermissionState = 'granted';
  /** Set to make getFile fail like a moved or deleted file. */
  missing = false;
  constructor(public file: FakeFile) {}
  get name(): string {
    return this.file.name;
  }
  async getFile(): Promise<FakeFile> {
    if (this.missing) throw new DOMException('A requested file or directory could not be found.', 'NotFoundError');
    return this.file;
  }
  async queryPermission(): Promise<PermissionState> {
    this.queries++;
    return this.permission;
  }
  async requestPermission(): Promise<PermissionState> {
    this.requests++;
    this.permission = this.onRequest;
    return this.permission;
  }
}
