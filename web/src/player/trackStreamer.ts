import type { AppendQueue } from './appendQueue';
import { mimeCodec } from './codecs';
import { evictionRange, isPresentToEnd, nextSegmentToFetch, overlapsBuffer, segmentIndexAt, type Range } from './bufferMath';
import type { Representation } from './manifest';

/**
 * The fetch/append loop of one track (video or audio). Each `tick(t)` fetches at most one segment:
 * the first missing one in the window [segment at t, +prefetch]. On a representation change
 * (ABR or manual) the new representation's init segment is appended before its media segments.
 */
export interface SegmentFetcher {
  (url: string, signal: AbortSignal): Promise<ArrayBuffer>;
}

export interface TrackStreamerOptions {
  kind: 'video' | 'audio';
  queue: AppendQueue;
  fetchSegment: SegmentFetcher;
  buffered: () => Range[];
  /** The representation for the next segment (video: the ABR decision; audio: the chosen track). */
  chooseRepresentation: (bufferAheadSeconds: number) => Representation;
  onAppended: () => void;
  onFatal: (error: Error) => void;
  now: () => number;
  prefetchSegments: number;
  evictBehindSeconds: number;
  /** Representation whose codec the SourceBuffer was created with. */
  initialCodec: string;
}

const MAX_FAILURES = 4;

export class TrackStreamer {
  /** Segment index → id of the representation it was appended from. */
  private readonly appended = new Map<number, string>();
  private readonly initCache = new Map<string, ArrayBuffer>();
  private inflight: { index: number; controller: AbortController } | null = null;
  private appendedInit: string | null = null;
  private appendedCodec: string;
  private failures = 0;
  private failed = false;
  private retryAt = 0;
  private timeline: Representation;

  constructor(private readonly options: TrackStreamerOptions, timeline: Representation) {
    this.timeline = timeline;
    this.appendedCodec = options.initialCodec;
  }

  get kind(): 'video' | 'audio' {
    return this.options.kind;
  }

  get busy(): boolean {
    return this.inflight !== null;
  }

  /** Id of the representation whose segment covers `t`, if appended. */
  representationAt(t: number): string | null {
    return this.appended.get(segmentIndexAt(this.timeline.segments, t)) ?? null;
  }

  /** All segments from `t` to the end are appended and still buffered. */
  isComplete(t: number): boolean {
    return !this.inflight && isPresentToEnd(this.timeline.segments, (i) => this.isPresent(i, this.options.buffered()), t);
  }

  async tick(t: number): Promise<void> {
    if (this.failed || this.inflight || this.options.now() < this.retryAt) return;
    const ranges = this.options.buffered();
    const index = nextSegmentToFetch(this.timeline.segments, (i) => this.isPresent(i, ranges), t, this.options.prefetchSegments);
    if (index === null) return;
    const controller = new AbortController();
    this.inflight = { index, controller };
    const { signal } = controller;
    try {
      const ahead = this.bufferAheadFrom(t, ranges);
      const rep = this.options.chooseRepresentation(ahead);
      this.timeline = rep;
      const segment = rep.segments[index];
      if (!segment) return;

      const evict = evictionRange(ranges, t, this.options.evictBehindSeconds);
      if (evict) await this.remove(evict[0], evict[1]);

      if (this.appendedInit !== rep.id) {
        const init = await this.loadInit(rep, signal);
        const codec = mimeCodec(rep);
        if (codec !== this.appendedCodec) {
          await this.options.queue.changeType(codec);
          this.appendedCodec = codec;
        }
        await this.options.queue.append(init);
        this.appendedInit = rep.id;
      }

      const data = await this.options.fetchSegment(segment.url, signal);
      if (signal.aborted) return;
      await this.options.queue.append(data);
      this.appended.set(index, rep.id);
      this.failures = 0;
      this.options.onAppended();
    } catch (error) {
      if (signal.aborted || isAbort(error)) return;
      this.failures++;
      if (this.failures >= MAX_FAILURES) {
        this.failed = true;
        this.options.onFatal(error instanceof Error ? error : new Error(String(error)));
      } else {
        this.retryAt = this.options.now() + 500 * 2 ** this.failures;
      }
    } finally {
      if (this.inflight?.controller === controller) this.inflight = null;
    }
  }

  /** A seek: drop work that no longer serves the new position (AbortController). */
  onSeek(t: number): void {
    const target = segmentIndexAt(this.timeline.segments, t);
    const inflight = this.inflight;
    if (inflight && (inflight.index < target || inflight.index > target + this.options.prefetchSegments)) {
      inflight.controller.abort();
      this.inflight = null;
      this.options.queue.abortPending();
    }
    this.retryAt = 0;
  }

  /**
   * Manual quality change: forget (and remove) what is buffered after the current segment so the
   * next segments come from the new representation right away.
   */
  async flushAhead(t: number, duration: number): Promise<void> {
    const segments = this.timeline.segments;
    let index = segmentIndexAt(segments, t);
    let from = segments[index];
    // Keep the segment being played; if it ends within half a second, keep the next one too.
    if (from && from.start + from.duration - t < 0.5) from = segments[++index];
    if (!from) return;
    const flushStart = from.start + from.duration;
    this.inflight?.controller.abort();
    this.inflight = null;
    this.options.queue.abortPending();
    for (const i of [...this.appended.keys()]) if (i > index) this.appended.delete(i);
    if (duration > flushStart) await this.remove(flushStart, duration).catch(() => undefined);
  }

  destroy(): void {
    this.inflight?.controller.abort();
    this.inflight = null;
  }

  private isPresent(index: number, ranges: Range[]): boolean {
    const seg = this.timeline.segments[index];
    return seg !== undefined && this.appended.has(index) && overlapsBuffer(ranges, seg);
  }

  private bufferAheadFrom(t: number, ranges: Range[]): number {
    const r = ranges.find(([s, e]) => t >= s - 0.1 && t < e);
    return r ? r[1] - t : 0;
  }

  private async remove(start: number, end: number): Promise<void> {
    await this.options.queue.remove(start, end);
    for (const [i] of this.appended) {
      const seg = this.timeline.segments[i];
      if (seg && seg.start + seg.duration <= end && seg.start >= start - 0.1) this.appended.delete(i);
    }
  }

  private async loadInit(rep: Representation, signal: AbortSignal): Promise<ArrayBuffer> {
    const cached = this.initCache.get(rep.id);
    if (cached) return cached;
    const data = await this.options.fetchSegment(rep.init, signal);
    this.initCache.set(rep.id, data);
    return data;
  }
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && (error as { name: unknown }).name === 'AbortError';
}
