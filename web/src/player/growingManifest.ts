import type { Manifest, Representation, Segment } from './manifest';

/**
 * The arithmetic of a manifest that grows while the worker encodes (complete: false): merging a re-read into
 * the one the player holds, how far the media is published, what MediaSource.duration should say, whether
 * playback waits for more, and where a seek may land. No I/O, no DOM: msePlayer.ts does those.
 */

/** How often a growing manifest is re-read (the worker rewrites it at most every ~1 s; the CDN caches it 1 s). */
export const REFRESH_INTERVAL_MS = 2000;
/** Longest pause between re-reads after failed ones (a blip at the CDN must not end playback). */
export const MAX_REFRESH_INTERVAL_MS = 10_000;
/** Within this of the published end, a stalled playhead is waiting for the encoder, not for the network. */
export const LIVE_EDGE_TOLERANCE = 0.5;
/** A seek past what is published lands this far before its end, so something plays before the wait. */
export const SEEK_EDGE_MARGIN = 1;

export interface ManifestMerge {
  /** Segments appended over all tracks. */
  added: number;
  /** This re-read turned the manifest complete. */
  completed: boolean;
}

/**
 * The segments of `incoming` that start after the last one of `existing` (by start time: published segments
 * never change, so only new ones at the end count). Half a segment of slack absorbs rounding in the JSON.
 */
export function newSegments(existing: readonly Segment[], incoming: readonly Segment[]): Segment[] {
  const last = existing[existing.length - 1];
  if (!last) return [...incoming].sort((a, b) => a.start - b.start);
  const after = last.start + Math.min(last.duration / 2, 0.5);
  return incoming.filter((s) => s.start > after).sort((a, b) => a.start - b.start);
}

/**
 * Merges a re-read manifest into the one being played, in place: the track streamers and the ABR rule hold
 * these representation objects, and the segment indexes they recorded must stay valid (new segments only
 * ever go at the end). Renditions the first manifest did not list are ignored: the SourceBuffers and the
 * quality menu were set up from it, and the worker lists every rung from its first manifest on.
 */
export function mergeManifest(current: Manifest, next: Manifest): ManifestMerge {
  let added = 0;
  const mergeTrack = (into: Representation, from: Representation | undefined | null) => {
    if (!from) return;
    const fresh = newSegments(into.segments, from.segments);
    into.segments.push(...fresh);
    added += fresh.length;
  };
  for (const rep of current.video) mergeTrack(rep, next.video.find((r) => r.id === rep.id));
  // current.audio is one of current.audioTracks (the same object), so this merges it too.
  for (const track of current.audioTracks) mergeTrack(track, next.audioTracks.find((t) => t.id === track.id));

  const completed = !current.complete && next.complete;
  // A complete manifest never goes back to growing (a stale CDN copy after the final one must not undo it).
  if (!current.complete) {
    current.complete = next.complete;
    current.duration = next.complete ? next.duration : Math.max(current.duration, next.duration);
    current.segmentCount = next.segmentCount ?? current.segmentCount;
    current.expectedDuration = next.expectedDuration ?? current.expectedDuration;
    current.thumbnails = next.thumbnails ?? current.thumbnails;
  }
  return { added, completed };
}

function trackEnd(rep: Representation): number {
  const last = rep.segments[rep.segments.length - 1];
  return last ? last.start + last.duration : 0;
}

/**
 * How far every track is published: the playhead can go no further until more arrives. A complete manifest is
 * published to its duration.
 */
export function publishedEnd(manifest: Manifest): number {
  if (manifest.complete) return manifest.duration;
  const tracks: Representation[] = [...manifest.video, ...manifest.audioTracks];
  return tracks.reduce((end, rep) => Math.min(end, trackEnd(rep)), Number.POSITIVE_INFINITY);
}

/**
 * What MediaSource.duration should say. Growing: the expected length of the whole video, so the seek bar has
 * its final scale and the element waits at the published end instead of ending there; never less than what is
 * published (the probe can be a little short). `current` keeps it from shrinking while growing, which MSE
 * refuses once media beyond the new value is buffered.
 */
export function targetDuration(manifest: Manifest, current = 0): number {
  if (manifest.complete) return manifest.duration;
  const wanted = Math.max(manifest.expectedDuration ?? 0, publishedEnd(manifest), manifest.duration);
  return Number.isFinite(current) && current > wanted ? current : wanted;
}

export interface EdgeInput {
  complete: boolean;
  currentTime: number;
  /** publishedEnd() of the manifest. */
  availableEnd: number;
  paused: boolean;
  ended: boolean;
  /** The element said 'waiting' and has not resumed. */
  stalled: boolean;
  /** readyState >= HAVE_FUTURE_DATA: there is media to play right after the playhead. */
  hasFutureData: boolean;
}

/**
 * Playback stands at the end of what the encoder has published and waits for more: the UI says "still
 * processing" rather than showing a bare buffering spinner.
 */
export function isWaitingForMore(s: EdgeInput): boolean {
  if (s.complete || s.paused || s.ended) return false;
  if (s.currentTime < s.availableEnd - LIVE_EDGE_TOLERANCE) return false;
  return s.stalled || !s.hasFutureData;
}

/**
 * Where a seek to `t` lands: inside the video, and while it grows, no later than a little before the published
 * end (a seek beyond it would only wait at a position nothing can fill yet).
 */
export function clampSeek(t: number, duration: number, availableEnd: number, complete: boolean): number {
  const end = Number.isFinite(duration) && duration > 0 ? duration : Math.max(availableEnd, 0);
  const limit = complete ? end : Math.min(end, Math.max(0, availableEnd - SEEK_EDGE_MARGIN));
  return Math.min(Math.max(t, 0), limit);
}

/** Delay before the next re-read: the regular interval, backing off after consecutive failures. */
export function refreshDelay(failures: number): number {
  return Math.min(MAX_REFRESH_INTERVAL_MS, REFRESH_INTERVAL_MS * 2 ** Math.max(0, failures));
}
