import { Emitter } from '../lib/emitter';
import { chooseRung, DEFAULT_ABR_CONFIG, initialRung, type AbrConfig } from './abrRule';
import { AppendQueue, type SourceBufferLike } from './appendQueue';
import { chooseAudioTrack, storedAudioPreference, type AudioPreference } from './audioChoice';
import { BandwidthEstimator } from './bandwidthEstimator';
import { evictionRange, findGapJump, toRanges, type Range } from './bufferMath';
import { checkCodecs, mediaSourceAvailable, mimeCodec } from './codecs';
import { isWaitingForMore, mergeManifest, publishedEnd, refreshDelay, targetDuration } from './growingManifest';
import { isGoneStatus, loadManifest, MediaGoneError, type AudioTrack, type Manifest, type VideoRepresentation } from './manifest';
import { baseOf, rebaseManifest, rebaseUrl } from './sourceRenewal';
import { loadThumbnails, thumbnailAt, type ThumbnailCue } from './thumbnails';
import { TrackStreamer } from './trackStreamer';

/**
 * Glues the pieces to a <video>: MediaSource + one SourceBuffer per track, a TrackStreamer per
 * track, the ABR rule fed by the bandwidth estimator, gap jumping, endOfStream. Exposes a plain
 * state object and events for the React controls; knows nothing about React.
 *
 * A growing manifest (complete: false, the worker still encodes) is re-read every ~2 s and its new segments
 * merged into every track; MediaSource.duration stays at the expected length, so the element plays up to the
 * last published segment and waits there ('waiting'), and endOfStream waits for the complete manifest.
 */
export type QualityMode = 'auto' | string;

export interface QualityOption {
  id: string;
  height: number;
  width: number;
  bandwidth: number;
}

export interface AudioTrackOption {
  id: string;
  lang: string;
  label: string;
}

export interface PlayerState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  currentTime: number;
  duration: number;
  buffered: Range[];
  paused: boolean;
  ended: boolean;
  stalled: boolean;
  seeking: boolean;
  volume: number;
  muted: boolean;
  qualities: QualityOption[];
  qualityMode: QualityMode;
  /** Rendition of the media at the playhead. */
  currentQuality: string | null;
  estimateBps: number;
  /** Audio tracks the viewer can choose from (a menu is worth showing from two). */
  audioTracks: AudioTrackOption[];
  /** Id of the audio track chosen (what the next segments come from); null without audio. */
  audioTrack: string | null;
  /** Id of the audio track whose segment is at the playhead: after a switch, the chosen one from the next segment on. */
  currentAudioTrack: string | null;
  error: string | null;
  /** false while the worker still publishes the video (the manifest grows). */
  complete: boolean;
  /** Seconds published so far (the whole duration once complete): seeks stop here. */
  availableEnd: number;
  /** Playback stands at the published end and waits for the encoder ("still processing"). */
  waitingForMore: boolean;
}

export interface PlayerEvents extends Record<string, unknown> {
  state: PlayerState;
  error: string;
}

export interface MsePlayerOptions {
  fetch?: typeof fetch;
  prefetchSegments?: number;
  evictBehindSeconds?: number;
  abr?: Partial<AbrConfig>;
  /** Pixel height available for the picture (CSS height × devicePixelRatio), for the startup rung. */
  pixelHeight?: () => number;
  /** A manual quality from the first segment: the rendition of this height, held as if the viewer had picked it
   *  (no flush, nothing to replace). Ignored when the video has no such rendition; then the player adapts. */
  fixedHeight?: number;
  tickMs?: number;
  /** Where the viewer's audio language is remembered (default: localStorage). */
  audioPreference?: AudioPreference;
  /**
   * A fresh URL of the same manifest (null when none can be had), asked for when media answers 403: a private
   * video's playback token expired mid-play. See sourceRenewal.ts.
   */
  renewSource?: () => Promise<string | null>;
}

const MEDIA_ERRORS: Record<number, string> = {
  1: 'Playback was aborted.',
  2: 'A network error stopped playback.',
  3: 'The video could not be decoded.',
  4: 'This video format is not supported by your browser.',
};

export class MsePlayer {
  readonly events = new Emitter<PlayerEvents>();
  private manifest: Manifest | null = null;
  private rungs: VideoRepresentation[] = [];
  private mediaSource: MediaSource | null = null;
  private objectUrl: string | null = null;
  private streamers: TrackStreamer[] = [];
  private queues: AppendQueue[] = [];
  private sourceBuffers: SourceBuffer[] = [];
  private readonly estimator = new BandwidthEstimator();
  private readonly abrConfig: AbrConfig;
  private currentRung: VideoRepresentation | null = null;
  private audioTracks: AudioTrack[] = [];
  private audioTrack: AudioTrack | null = null;
  private readonly audioPreference: AudioPreference;
  private lastSwitchMs = 0;
  private qualityMode: QualityMode = 'auto';
  private thumbnails: ThumbnailCue[] = [];
  private status: PlayerState['status'] = 'idle';
  private error: string | null = null;
  private stalled = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly lifetime = new AbortController();
  private readonly fetchFn: typeof fetch;
  private readonly detach: (() => void)[] = [];
  private manifestUrl = '';
  /** The renewal in progress, so the tracks that all hit the expired token share one request for a fresh one. */
  private renewal: Promise<{ from: string; to: string } | null> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private refreshFailures = 0;
  private lastThumbnailLoad = 0;

  constructor(private readonly video: HTMLVideoElement, private readonly options: MsePlayerOptions = {}) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.abrConfig = { ...DEFAULT_ABR_CONFIG, ...options.abr };
    this.audioPreference = options.audioPreference ?? storedAudioPreference();
  }

  getState(): PlayerState {
    const v = this.video;
    const complete = this.manifest?.complete ?? true;
    const availableEnd = this.manifest ? publishedEnd(this.manifest) : 0;
    return {
      status: this.status,
      currentTime: v.currentTime,
      duration: Number.isFinite(v.duration) ? v.duration : (this.manifest?.duration ?? 0),
      buffered: toRanges(v.buffered),
      paused: v.paused,
      ended: v.ended,
      stalled: this.stalled,
      seeking: v.seeking,
      volume: v.volume,
      muted: v.muted,
      qualities: this.rungs.map((r) => ({ id: r.id, height: r.height, width: r.width, bandwidth: r.bandwidth })),
      qualityMode: this.qualityMode,
      currentQuality: this.streamers.find((s) => s.kind === 'video')?.representationAt(v.currentTime) ?? this.currentRung?.id ?? null,
      estimateBps: this.estimator.getEstimate(),
      audioTracks: this.audioTracks.map((t) => ({ id: t.id, lang: t.lang, label: t.label })),
      audioTrack: this.audioTrack?.id ?? null,
      currentAudioTrack: this.streamers.find((s) => s.kind === 'audio')?.representationAt(v.currentTime) ?? null,
      error: this.error,
      complete,
      availableEnd,
      waitingForMore:
        this.status === 'ready' &&
        isWaitingForMore({
          complete,
          currentTime: v.currentTime,
          availableEnd,
          paused: v.paused,
          ended: v.ended,
          stalled: this.stalled,
          hasFutureData: v.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA,
        }),
    };
  }

  thumbnailAt(t: number): ThumbnailCue | null {
    return thumbnailAt(this.thumbnails, t);
  }

  async load(manifestUrl: string): Promise<void> {
    this.status = 'loading';
    this.publish();
    try {
      if (!mediaSourceAvailable()) throw new Error('This browser does not support Media Source Extensions, which the player needs.');
      this.manifestUrl = manifestUrl;
      // A growing manifest changes every second or so: revalidate rather than take the browser's copy.
      const manifest = await loadManifest(manifestUrl, this.fetchFn, { signal: this.lifetime.signal, cache: 'no-cache', goneOn404: true });
      this.manifest = manifest;
      const check = checkCodecs(manifest, (type) => MediaSource.isTypeSupported(type));
      if (check.error) throw new Error(check.error);
      this.rungs = check.video;
      this.audioTracks = check.audio;
      this.audioTrack = chooseAudioTrack(this.audioTracks, this.audioPreference.get());
      this.reloadThumbnails();
      await this.openMediaSource(manifest);
      this.status = 'ready';
      this.attachVideoEvents();
      this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 250);
      this.tick();
      this.publish();
      if (!manifest.complete) this.scheduleRefresh();
    } catch (error) {
      if (this.lifetime.signal.aborted) return;
      this.fail(error instanceof Error ? error.message : String(error));
    }
  }

  /** 'auto' or a rendition id. A manual choice replaces what is buffered ahead, so it shows quickly. */
  setQuality(mode: QualityMode): void {
    if (mode !== 'auto' && !this.rungs.some((r) => r.id === mode)) return;
    this.qualityMode = mode;
    if (mode !== 'auto') {
      const video = this.streamers.find((s) => s.kind === 'video');
      const duration = this.mediaSource?.duration ?? this.manifest?.duration ?? 0;
      void video?.flushAhead(this.video.currentTime, Number.isFinite(duration) ? duration : (this.manifest?.duration ?? 0)).then(() => this.tick());
    }
    this.publish();
  }

  /**
   * Plays another audio track and remembers its language for the next videos. The audio SourceBuffer keeps the
   * segment at the playhead and drops what is buffered after it; the next segments (and the new track's init
   * segment before them) come from the chosen track, so the sound changes at the next segment boundary without a
   * stall: the video and the audio at the playhead stay buffered throughout.
   */
  setAudioTrack(id: string): void {
    const track = this.audioTracks.find((t) => t.id === id);
    if (!track || track === this.audioTrack) return;
    this.audioTrack = track;
    this.audioPreference.set(track.lang);
    const audio = this.streamers.find((s) => s.kind === 'audio');
    const duration = this.mediaSource?.duration ?? this.manifest?.duration ?? 0;
    void audio?.flushAhead(this.video.currentTime, Number.isFinite(duration) ? duration : (this.manifest?.duration ?? 0)).then(() => this.tick());
    this.publish();
  }

  destroy(): void {
    this.lifetime.abort();
    if (this.timer) clearInterval(this.timer);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const off of this.detach.splice(0)) off();
    for (const s of this.streamers) s.destroy();
    for (const q of this.queues) q.destroy();
    this.events.clear();
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.video.removeAttribute('src');
    this.video.load();
  }

  private async openMediaSource(manifest: Manifest): Promise<void> {
    const ms = new MediaSource();
    this.mediaSource = ms;
    this.objectUrl = URL.createObjectURL(ms);
    const opened = new Promise<void>((resolve) => ms.addEventListener('sourceopen', () => resolve(), { once: true }));
    this.video.src = this.objectUrl;
    await opened;
    ms.duration = targetDuration(manifest);

    const pixelHeight = this.options.pixelHeight?.() ?? (this.video.clientHeight || 360) * (globalThis.devicePixelRatio || 1);
    const fixed = this.rungs.find((r) => r.height === this.options.fixedHeight);
    if (fixed) this.qualityMode = fixed.id;
    const start = fixed ?? initialRung(this.rungs, pixelHeight);
    this.currentRung = start;
    this.addTrack('video', start, mimeCodec(start));
    if (this.audioTrack) this.addTrack('audio', this.audioTrack, mimeCodec(this.audioTrack));
  }

  private addTrack(kind: 'video' | 'audio', first: VideoRepresentation | AudioTrack, codec: string): void {
    const ms = this.mediaSource;
    if (!ms) return;
    const sb = ms.addSourceBuffer(codec);
    const buffered = () => toRanges(sb.buffered);
    const queue = new AppendQueue(sb as SourceBufferLike, {
      // Buffer full: free more than the regular eviction would (keep 10 s behind the playhead).
      onQuotaExceeded: () => evictionRange(buffered(), this.video.currentTime, 10),
    });
    const streamer = new TrackStreamer(
      {
        kind,
        queue,
        fetchSegment: (url, signal) => this.fetchSegment(url, signal, kind === 'video'),
        buffered,
        chooseRepresentation: (ahead) => (kind === 'video' || !this.audioTrack ? this.chooseVideo(ahead) : this.audioTrack),
        onAppended: () => {
          this.publish();
          this.tick();
        },
        onFatal: (error) => this.fail(error.message),
        now: () => performance.now(),
        prefetchSegments: this.options.prefetchSegments ?? 3,
        evictBehindSeconds: this.options.evictBehindSeconds ?? 30,
        initialCodec: codec,
      },
      first,
    );
    this.sourceBuffers.push(sb);
    this.queues.push(queue);
    this.streamers.push(streamer);
  }

  private scheduleRefresh(): void {
    if (this.lifetime.signal.aborted || this.status === 'error') return;
    this.refreshTimer = setTimeout(() => void this.refresh(), refreshDelay(this.refreshFailures));
  }

  /** Re-reads a growing manifest and merges what was published since; stops once it is complete. */
  private async refresh(): Promise<void> {
    this.refreshTimer = null;
    const current = this.manifest;
    if (!current || current.complete) return;
    try {
      const next = await loadManifest(this.manifestUrl, this.fetchFn, { signal: this.lifetime.signal, cache: 'no-cache', goneOn404: true });
      if (this.lifetime.signal.aborted) return;
      this.refreshFailures = 0;
      const merge = mergeManifest(current, next);
      if (merge.added > 0 || merge.completed) {
        this.syncDuration();
        if (merge.completed || performance.now() - this.lastThumbnailLoad > 10_000) this.reloadThumbnails();
        this.tick();
        this.publish();
      }
    } catch (error) {
      if (this.lifetime.signal.aborted) return;
      // A 403 may be an expired playback token rather than removed media: with a fresh one, read again at once.
      if (error instanceof MediaGoneError && (await this.renewSource()) === null) {
        this.fail(error.message);
        return;
      }
      // A blip at the CDN or a half-written response: playback goes on with what it has; try again later.
      this.refreshFailures++;
    }
    if (!current.complete) this.scheduleRefresh();
  }

  /**
   * Keeps MediaSource.duration at what the manifest says. MSE refuses the change while a SourceBuffer updates
   * (the next tick tries again) and below buffered media (endOfStream trims it to the media then).
   */
  private syncDuration(): void {
    const ms = this.mediaSource;
    if (!ms || ms.readyState !== 'open' || !this.manifest) return;
    const wanted = targetDuration(this.manifest, this.manifest.complete ? 0 : ms.duration);
    if (Math.abs(ms.duration - wanted) < 0.001 || this.sourceBuffers.some((sb) => sb.updating)) return;
    try {
      ms.duration = wanted;
    } catch {
      // Below the buffered end or mid-update: endOfStream or the next tick settles it.
    }
  }

  private reloadThumbnails(): void {
    const info = this.manifest?.thumbnails;
    if (!info) return;
    this.lastThumbnailLoad = performance.now();
    loadThumbnails(info.vtt, this.fetchFn, this.lifetime.signal)
      .then((cues) => {
        this.thumbnails = cues;
        this.publish();
      })
      .catch(() => undefined); // previews are optional
  }

  /** ABR at a segment boundary, or the manual choice. */
  private chooseVideo(bufferAhead: number): VideoRepresentation {
    const current = this.currentRung ?? this.rungs[0];
    if (!current) throw new Error('no renditions');
    let next = current;
    if (this.qualityMode !== 'auto') {
      next = this.rungs.find((r) => r.id === this.qualityMode) ?? current;
    } else {
      next = chooseRung(
        {
          rungs: this.rungs,
          current,
          estimateBps: this.estimator.getEstimate(),
          hasGoodEstimate: this.estimator.hasGoodEstimate(),
          bufferAheadSeconds: bufferAhead,
          nowMs: performance.now(),
          lastSwitchMs: this.lastSwitchMs,
        },
        this.abrConfig,
      );
    }
    if (next.id !== current.id) {
      this.lastSwitchMs = performance.now();
      this.currentRung = next;
    }
    return next;
  }

  /**
   * Moves every URL of the manifest to a fresh manifest URL from `options.renewSource` (a new playback token in the
   * path); returns the folders it moved from and to, or null when there is nothing new (no renewer, the same URL, a
   * refusal: then the 403 stands and is handled as before).
   */
  private renewSource(): Promise<{ from: string; to: string } | null> {
    const renew = this.options.renewSource;
    if (!renew || !this.manifest) return Promise.resolve(null);
    this.renewal ??= (async () => {
      try {
        const fresh = await renew();
        const manifest = this.manifest;
        if (!fresh || !manifest || this.lifetime.signal.aborted) return null;
        const from = baseOf(this.manifestUrl);
        const to = baseOf(new URL(fresh, globalThis.location?.href ?? 'http://localhost/').href);
        if (from === to) return null;
        rebaseManifest(manifest, from, to);
        this.manifestUrl = rebaseUrl(this.manifestUrl, from, to);
        this.reloadThumbnails();
        return { from, to };
      } catch {
        return null;
      } finally {
        this.renewal = null;
      }
    })();
    return this.renewal;
  }

  /** `measure`: feed the bandwidth estimator (video only, see below). */
  private async fetchSegment(url: string, signal: AbortSignal, measure: boolean): Promise<ArrayBuffer> {
    let response = await this.fetchFn(url, { signal });
    if (response.status === 403) {
      const moved = await this.renewSource();
      if (moved && !signal.aborted) response = await this.fetchFn(rebaseUrl(url, moved.from, moved.to), { signal });
    }
    // A growing version whose processing failed is removed: say so rather than report a broken link.
    if (this.manifest && !this.manifest.complete && isGoneStatus(response.status)) throw new MediaGoneError();
    if (!response.ok) throw new Error(`Could not load video data (HTTP ${response.status}).`);
    // Throughput is timed from the first byte (the headers) to the last, as dash.js does: the request's latency and a
    // cold CDN's fetch from the origin are not the link's speed. Only video downloads count: an audio segment (64 KB)
    // always loads beside a video one and measures the share it got, not the link. Both kept 720p out of reach on a
    // 4 Mbit/s link (audio samples of 2 Mbit/s at startup dropped the first estimate to 3.08 Mbit/s).
    const firstByte = performance.now();
    const data = await response.arrayBuffer();
    if (measure) this.estimator.sample(performance.now() - firstByte, data.byteLength);
    return data;
  }

  private tick(): void {
    if (this.status !== 'ready' || this.lifetime.signal.aborted) return;
    const t = this.video.currentTime;
    for (const s of this.streamers) void s.tick(t);
    this.syncDuration();
    this.maybeEndOfStream(t);
    this.jumpSmallGap();
  }

  /**
   * endOfStream() only when every track is appended to its end and nothing is updating (design §9), and
   * only once the manifest is complete: ending a growing stream would end playback at the published end.
   */
  private maybeEndOfStream(t: number): void {
    const ms = this.mediaSource;
    if (!ms || ms.readyState !== 'open' || !this.manifest?.complete) return;
    if (!this.streamers.every((s) => s.isComplete(t))) return;
    if (!this.queues.every((q) => q.idle) || this.sourceBuffers.some((sb) => sb.updating)) return;
    try {
      ms.endOfStream();
    } catch {
      // A racing update: the next tick tries again.
    }
  }

  private jumpSmallGap(): void {
    const v = this.video;
    if (v.seeking || v.paused || v.ended || v.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA) return;
    const jump = findGapJump(toRanges(v.buffered), v.currentTime, 0.5);
    if (jump !== null) v.currentTime = jump;
  }

  private attachVideoEvents(): void {
    const v = this.video;
    const on = (type: string, handler: () => void) => {
      v.addEventListener(type, handler);
      this.detach.push(() => v.removeEventListener(type, handler));
    };
    on('seeking', () => {
      for (const s of this.streamers) s.onSeek(v.currentTime);
      this.tick();
      this.publish();
    });
    on('waiting', () => {
      this.stalled = true;
      this.jumpSmallGap();
      this.publish();
    });
    const unstall = () => {
      this.stalled = false;
      this.publish();
    };
    on('playing', unstall);
    on('seeked', () => {
      if (v.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA) this.stalled = false;
      this.publish();
    });
    on('canplay', unstall);
    on('pause', unstall);
    on('ended', unstall);
    for (const type of ['timeupdate', 'play', 'volumechange', 'durationchange', 'progress']) {
      on(type, () => {
        if (type === 'timeupdate') this.tick();
        this.publish();
      });
    }
    on('error', () => {
      const code = v.error?.code ?? 0;
      this.fail(`${MEDIA_ERRORS[code] ?? 'Playback failed.'}${v.error?.message ? ` (${v.error.message})` : ''}`);
    });
  }

  private fail(message: string): void {
    if (this.status === 'error') return;
    this.status = 'error';
    this.error = message;
    if (this.timer) clearInterval(this.timer);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.events.emit('error', message);
    this.publish();
  }

  private publish(): void {
    this.events.emit('state', this.getState());
  }
}
