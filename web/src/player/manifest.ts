/**
 * The playback contract of design §4a: `manifest.json` is the only file the player reads.
 * Parsing validates the shape (a bad manifest fails here with a clear message, not deep inside
 * MediaSource) and resolves every URL against the manifest's own URL.
 */
export interface Segment {
  url: string;
  /** Seconds on the media timeline. Use these, never index × 4: segments are ~4.004 s, audio differs. */
  start: number;
  duration: number;
}

export interface Representation {
  id: string;
  mimeType: string;
  codecs: string;
  bandwidth: number;
  init: string;
  segments: Segment[];
}

/** One audio track: its representation (id "audio", "audio-2", …) named by language and label. */
export interface AudioTrack extends Representation {
  /** BCP-47 tag from the source's stream ("und" when it had none). */
  lang: string;
  label: string;
  /** The track the worker marked default (the source's first). */
  default: boolean;
}

export interface VideoRepresentation extends Representation {
  width: number;
  height: number;
}

export interface ThumbnailInfo {
  vtt: string;
  interval: number;
  tileWidth: number;
  tileHeight: number;
}

export interface Manifest {
  version: number;
  videoId: string;
  /** Complete: the whole video. Growing: the end of what is published so far (the shortest track). */
  duration: number;
  /**
   * false while the worker still publishes segments (the player re-reads the manifest and must not end the
   * stream); a manifest without the field is complete (versions published before growing manifests existed).
   */
  complete: boolean;
  /** The probed length of the source, known before encoding ends; null in older manifests. */
  expectedDuration: number | null;
  /** Video segments published per rung; null in older manifests. */
  segmentCount: number | null;
  /** Sorted by bandwidth, lowest first. */
  video: VideoRepresentation[];
  /** The default audio track (what a one-track manifest calls audio); the same object as in audioTracks. */
  audio: AudioTrack | null;
  /** Every audio track, the default first; empty for a silent video. Older manifests list their one track here too. */
  audioTracks: AudioTrack[];
  thumbnails: ThumbnailInfo | null;
  /** Absolute URL of the HLS master playlist over the same segments, for browsers without MSE (iPhone Safari). */
  hls: string | null;
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(`Invalid manifest: ${message}`);
    this.name = 'ManifestError';
  }
}

type Json = Record<string, unknown>;

function obj(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ManifestError(`${where} must be an object`);
  return value as Json;
}
function num(o: Json, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ManifestError(`${where}.${key} must be a number`);
  return v;
}
function str(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || !v) throw new ManifestError(`${where}.${key} must be a non-empty string`);
  return v;
}

function parseSegments(value: unknown, base: string, where: string): Segment[] {
  if (!Array.isArray(value) || value.length === 0) throw new ManifestError(`${where}.segments must be a non-empty array`);
  return value
    .map((raw, i) => {
      const s = obj(raw, `${where}.segments[${i}]`);
      return {
        url: new URL(str(s, 'url', `${where}.segments[${i}]`), base).href,
        start: num(s, 'start', `${where}.segments[${i}]`),
        duration: num(s, 'duration', `${where}.segments[${i}]`),
      };
    })
    .sort((a, b) => a.start - b.start);
}

function parseRepresentation(raw: unknown, base: string, where: string, id: string): Representation {
  const r = obj(raw, where);
  return {
    id,
    mimeType: str(r, 'mimeType', where),
    codecs: str(r, 'codecs', where),
    bandwidth: num(r, 'bandwidth', where),
    init: new URL(str(r, 'init', where), base).href,
    segments: parseSegments(r.segments, base, where),
  };
}

export function parseManifest(json: unknown, manifestUrl: string): Manifest {
  const m = obj(json, 'manifest');
  const version = num(m, 'version', 'manifest');
  if (version !== 1) throw new ManifestError(`unsupported version ${version}`);
  if (!Array.isArray(m.video) || m.video.length === 0) throw new ManifestError('manifest.video must list at least one rendition');
  const video = m.video
    .map((raw, i): VideoRepresentation => {
      const where = `video[${i}]`;
      const r = obj(raw, where);
      return { ...parseRepresentation(raw, manifestUrl, where, str(r, 'id', where)), width: num(r, 'width', where), height: num(r, 'height', where) };
    })
    .sort((a, b) => a.bandwidth - b.bandwidth);
  const audioTracks = parseAudioTracks(m, manifestUrl);
  const audio = audioTracks.find((t) => t.default) ?? audioTracks[0] ?? null;
  let thumbnails: ThumbnailInfo | null = null;
  if (m.thumbnails != null) {
    const t = obj(m.thumbnails, 'thumbnails');
    thumbnails = {
      vtt: new URL(str(t, 'vtt', 'thumbnails'), manifestUrl).href,
      interval: num(t, 'interval', 'thumbnails'),
      tileWidth: num(t, 'tileWidth', 'thumbnails'),
      tileHeight: num(t, 'tileHeight', 'thumbnails'),
    };
  }
  const hls = typeof m.hls === 'string' && m.hls ? new URL(m.hls, manifestUrl).href : null;
  if (m.complete != null && typeof m.complete !== 'boolean') throw new ManifestError('manifest.complete must be true or false');
  const optionalNum = (key: string) => (m[key] == null ? null : num(m, key, 'manifest'));
  return {
    version,
    videoId: typeof m.videoId === 'string' ? m.videoId : '',
    duration: num(m, 'duration', 'manifest'),
    complete: m.complete !== false,
    expectedDuration: optionalNum('expectedDuration'),
    segmentCount: optionalNum('segmentCount'),
    video,
    audio,
    audioTracks,
    thumbnails,
    hls,
  };
}

/**
 * `audioTracks` as the worker writes it since sources keep every audio stream; a manifest without it (published
 * before) has at most its one `audio`, read as the default track "audio" of unknown language.
 */
function parseAudioTracks(m: Json, base: string): AudioTrack[] {
  if (m.audioTracks == null) {
    if (m.audio == null) return [];
    return [{ ...parseRepresentation(m.audio, base, 'audio', 'audio'), lang: 'und', label: 'Track 1', default: true }];
  }
  if (!Array.isArray(m.audioTracks)) throw new ManifestError('manifest.audioTracks must be an array');
  const ids = new Set<string>();
  const tracks = m.audioTracks.map((raw, i): AudioTrack => {
    const where = `audioTracks[${i}]`;
    const t = obj(raw, where);
    const id = str(t, 'id', where);
    if (ids.has(id)) throw new ManifestError(`${where}.id "${id}" is listed twice`);
    ids.add(id);
    return {
      ...parseRepresentation(raw, base, where, id),
      lang: typeof t.lang === 'string' && t.lang ? t.lang : 'und',
      label: typeof t.label === 'string' && t.label ? t.label : `Track ${i + 1}`,
      default: t.default === true,
    };
  });
  if (tracks.length > 0 && !tracks.some((t) => t.default)) tracks[0]!.default = true;
  return tracks;
}

/**
 * The manifest's version is gone: its processing failed or was stopped, and the worker removed the media it had
 * published so far (HTTP 404 or 403 from the storage behind the CDN).
 */
export class MediaGoneError extends Error {
  constructor() {
    super('This video is no longer available here: its processing failed or was stopped, so the part published so far was removed. Reload the page to see where it stands.');
    this.name = 'MediaGoneError';
  }
}

export function isGoneStatus(status: number): boolean {
  return status === 404 || status === 403 || status === 410;
}

export interface LoadManifestOptions {
  signal?: AbortSignal;
  /** 'no-cache' while the manifest grows: the browser revalidates instead of reusing its copy. */
  cache?: RequestCache;
  /** A 404 means the version was removed (a growing one whose processing failed), not a broken link. */
  goneOn404?: boolean;
}

export async function loadManifest(url: string, fetchFn: typeof fetch = fetch, options: LoadManifestOptions = {}): Promise<Manifest> {
  const absolute = new URL(url, globalThis.location?.href ?? 'http://localhost/').href;
  const init: RequestInit = { signal: options.signal };
  if (options.cache) init.cache = options.cache;
  const response = await fetchFn(absolute, init);
  if (options.goneOn404 && isGoneStatus(response.status)) throw new MediaGoneError();
  if (!response.ok) throw new Error(`Could not load the video manifest (HTTP ${response.status}).`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ManifestError('not JSON');
  }
  return parseManifest(json, absolute);
}
