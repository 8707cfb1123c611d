/**
 * Serializes every operation on one SourceBuffer. MSE forbids appendBuffer/remove while
 * `updating` (InvalidStateError), so each operation waits for the previous `updateend`.
 * A QuotaExceededError on append evicts media behind the playhead and retries the append.
 */
export interface SourceBufferLike {
  readonly updating: boolean;
  readonly buffered: TimeRanges | { readonly length: number; start(i: number): number; end(i: number): number };
  appendBuffer(data: BufferSource): void;
  remove(start: number, end: number): void;
  abort(): void;
  changeType?(type: string): void;
  addEventListener(type: 'updateend' | 'error', listener: () => void): void;
  removeEventListener(type: 'updateend' | 'error', listener: () => void): void;
}

type Operation =
  | { kind: 'append'; data: BufferSource }
  | { kind: 'remove'; start: number; end: number }
  | { kind: 'changeType'; type: string };

interface Pending {
  op: Operation;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface AppendQueueOptions {
  /** Range to remove when the buffer is full; null = nothing can be freed. */
  onQuotaExceeded?: () => readonly [number, number] | null;
  /** How many evict-and-retry rounds one append may take. */
  maxQuotaRetries?: number;
}

export class AppendQueue {
  private readonly queue: Pending[] = [];
  private running = false;
  private destroyed = false;

  constructor(private readonly sb: SourceBufferLike, private readonly options: AppendQueueOptions = {}) {}

  append(data: BufferSource): Promise<void> {
    return this.enqueue({ kind: 'append', data });
  }

  remove(start: number, end: number): Promise<void> {
    if (!(end > start)) return Promise.resolve();
    return this.enqueue({ kind: 'remove', start, end });
  }

  /** Switches codec (e.g. between H.264 profiles) where the browser supports changeType. */
  changeType(type: string): Promise<void> {
    return this.enqueue({ kind: 'changeType', type });
  }

  /** Nothing queued and the SourceBuffer is not updating. */
  get idle(): boolean {
    return !this.running && this.queue.length === 0 && !this.sb.updating;
  }

  get size(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Drops queued (not started) operations, e.g. appends made stale by a seek. */
  abortPending(): void {
    for (const p of this.queue.splice(0)) p.reject(new DOMException('Append aborted', 'AbortError'));
  }

  destroy(): void {
    this.destroyed = true;
    this.abortPending();
  }

  private enqueue(op: Operation): Promise<void> {
    if (this.destroyed) return Promise.reject(new DOMException('Append queue destroyed', 'AbortError'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const next = this.queue.shift();
        if (!next) break;
        try {
          await this.execute(next.op);
          next.resolve();
        } catch (error) {
          next.reject(error);
        }
        if (this.destroyed) break;
      }
    } finally {
      this.running = false;
    }
  }

  private async execute(op: Operation): Promise<void> {
    await this.whenNotUpdating();
    if (op.kind === 'changeType') {
      this.sb.changeType?.(op.type); // synchronous, no updateend
      return;
    }
    if (op.kind === 'remove') {
      await this.runUpdate(() => this.sb.remove(op.start, op.end));
      return;
    }
    const maxRetries = this.options.maxQuotaRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.runUpdate(() => this.sb.appendBuffer(op.data));
        return;
      } catch (error) {
        if (!isQuotaExceeded(error) || attempt >= maxRetries) throw error;
        const range = this.options.onQuotaExceeded?.() ?? null;
        if (!range) throw error;
        await this.runUpdate(() => this.sb.remove(range[0], range[1]));
      }
    }
  }

  /** Starts an update and resolves on its updateend (rejects on error or a synchronous throw). */
  private runUpdate(start: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        cleanup();
        resolve();
      };
      const failed = () => {
        cleanup();
        reject(new Error('SourceBuffer update failed (the media data could not be decoded).'));
      };
      const cleanup = () => {
        this.sb.removeEventListener('updateend', done);
        this.sb.removeEventListener('error', failed);
      };
      this.sb.addEventListener('updateend', done);
      this.sb.addEventListener('error', failed);
      try {
        start();
      } catch (error) {
        cleanup();
        reject(error);
      }
    });
  }

  private whenNotUpdating(): Promise<void> {
    if (!this.sb.updating) return Promise.resolve();
    return new Promise((resolve) => {
      const onEnd = () => {
        if (this.sb.updating) return;
        this.sb.removeEventListener('updateend', onEnd);
        resolve();
      };
      this.sb.addEventListener('updateend', onEnd);
    });
  }
}

export function isQuotaExceeded(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && (error as { name: unknown }).name === 'QuotaExceededError';
}
