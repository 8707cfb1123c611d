/**
 * Playback quality (QoE) of one view, measured from the player's state snapshots and a clock. Pure: the glue feeds it
 * MsePlayer 'state' events, 'error' events and the element's dropped-frame counter; nothing here touches the DOM.
 *
 * What counts:
 * - startup: load request → first frame playing (the clock restarts at the viewer's play if autoplay was refused);
 * - rebuffer: a stall after the first frame while playing. The startup wait is not one, and neither is a seek's own
 *   wait: a stall that begins while seeking stays the seek's until playback resumes;
 * - watch time: time actually playing (not paused, stalled, seeking or ended); bitrate and rendition mix are weighted
 *   by it, using the bandwidth and height of the rendition at the playhead;
 * - bitrate switches: changes of the rendition at the playhead (what the viewer saw, not what was fetched).
 */
export interface QoeSample {
  status: 'idle' | 'loading' | 'ready' | 'error';
  paused: boolean;
  ended: boolean;
  stalled: boolean;
  seeking: boolean;
  currentTime: number;
  currentQuality: string | null;
  qualities: { id: string; height: number; bandwidth: number }[];
}

/** The wire shape of POST /api/v1/views (one element of `views`); figures are cumulative for the view. */
export interface ViewReport {
  viewId: string;
  videoId: string;
  startupMs: number | null;
  watchSeconds: number;
  rebufferCount: number;
  rebufferSeconds: number;
  bitrateSwitches: number;
  avgBitrateBps: number | null;
  droppedFrames: number;
  fatalErrors: number;
  renditionSeconds: Record<string, number>;
}

type Mode = 'startup' | 'playing' | 'rebuffer' | 'seek' | 'idle';

/** The server's ranges (ViewReportRules): a report outside them would be refused whole. */
const MAX_SECONDS = 86_400;
const MAX_STARTUP_MS = 600_000;

export class QoeCollector {
  private mode: Mode = 'startup';
  private lastMs: number;
  private loadMs: number;
  private restartOnPlay = false;
  private startupMs: number | null = null;
  private watchMs = 0;
  private rebufferMs = 0;
  private rebuffers = 0;
  private switches = 0;
  private fatal = 0;
  private bitsWeighted = 0;
  private readonly perHeight = new Map<number, number>();
  private quality: string | null = null;
  private rendition: { height: number; bandwidth: number } | null = null;

  constructor(
    readonly videoId: string,
    private readonly now: () => number,
    private readonly droppedFrames: () => number = () => 0,
    readonly viewId: string = crypto.randomUUID(),
  ) {
    this.lastMs = this.loadMs = now();
  }

  /** Autoplay was refused: startup then runs from the viewer's play, not from the load. */
  autoplayRefused(): void {
    if (this.startupMs === null) this.restartOnPlay = true;
  }

  fatalError(): void {
    this.advance(this.now());
    this.fatal++;
    this.mode = 'idle';
  }

  observe(s: QoeSample): void {
    const t = this.now();
    this.advance(t);
    this.track(s);
    if (this.fatal > 0 || s.status === 'error') {
      this.mode = 'idle';
      return;
    }
    if (this.startupMs === null) {
      if (this.restartOnPlay && !s.paused) {
        this.restartOnPlay = false;
        this.loadMs = t;
      }
      if (s.status === 'ready' && !s.paused && !s.stalled && !s.seeking && s.currentTime > 0) {
        this.startupMs = Math.round(t - this.loadMs);
        this.mode = 'playing';
      }
      return;
    }
    if (s.paused || s.ended) this.mode = 'idle';
    else if (s.seeking || (s.stalled && this.mode === 'seek')) this.mode = 'seek';
    else if (s.stalled) {
      if (this.mode !== 'rebuffer') this.rebuffers++;
      this.mode = 'rebuffer';
    } else this.mode = 'playing';
  }

  /** Cumulative figures so far; the time since the last state counts under the current mode. */
  report(): ViewReport {
    this.advance(this.now());
    const watch = this.watchMs / 1000;
    const renditionSeconds: Record<string, number> = {};
    for (const [height, ms] of this.perHeight) renditionSeconds[String(height)] = round3(Math.min(ms / 1000, MAX_SECONDS));
    return {
      viewId: this.viewId,
      videoId: this.videoId,
      startupMs: this.startupMs === null ? null : Math.min(this.startupMs, MAX_STARTUP_MS),
      watchSeconds: round3(Math.min(watch, MAX_SECONDS)),
      rebufferCount: this.rebuffers,
      rebufferSeconds: round3(Math.min(this.rebufferMs / 1000, MAX_SECONDS)),
      bitrateSwitches: this.switches,
      avgBitrateBps: this.watchMs > 0 && this.bitsWeighted > 0 ? Math.round(this.bitsWeighted / this.watchMs) : null,
      droppedFrames: Math.max(0, Math.floor(this.droppedFrames())),
      fatalErrors: this.fatal,
      renditionSeconds,
    };
  }

  private advance(t: number): void {
    const dt = Math.max(0, t - this.lastMs);
    this.lastMs = t;
    if (this.mode === 'rebuffer') this.rebufferMs += dt;
    if (this.mode !== 'playing') return;
    this.watchMs += dt;
    if (this.rendition) {
      this.bitsWeighted += this.rendition.bandwidth * dt;
      this.perHeight.set(this.rendition.height, (this.perHeight.get(this.rendition.height) ?? 0) + dt);
    }
  }

  private track(s: QoeSample): void {
    const id = s.currentQuality;
    if (id === null) return;
    if (this.quality !== null && id !== this.quality) this.switches++;
    this.quality = id;
    const q = s.qualities.find((r) => r.id === id);
    this.rendition = q ? { height: q.height, bandwidth: q.bandwidth } : null;
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
