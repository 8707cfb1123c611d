import type { Segment } from './manifest';

/**
 * Pure buffer arithmetic for the scheduler: which segment holds a time, what is buffered, what to
 * fetch next, what to evict, where a gap can be jumped. Works on plain [start, end] pairs so it is
 * tested without a browser; `toRanges` converts a TimeRanges.
 */
export type Range = readonly [number, number];

export interface TimeRangesLike {
  readonly length: number;
  start(index: number): number;
  end(index: number): number;
}

export function toRanges(tr: TimeRangesLike): Range[] {
  const out: Range[] = [];
  for (let i = 0; i < tr.length; i++) out.push([tr.start(i), tr.end(i)]);
  return out;
}

/**
 * Index of the segment containing `t` (by each segment's own start/duration), clamped to the
 * first/last segment outside the timeline; -1 only for an empty list.
 */
export function segmentIndexAt(segments: readonly Segment[], t: number): number {
  if (segments.length === 0) return -1;
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const seg = segments[mid];
    if (seg && seg.start <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The buffered range holding `t` (with a little slack for rounding at range edges). */
export function rangeAt(ranges: readonly Range[], t: number, tolerance = 0.1): Range | null {
  return ranges.find(([s, e]) => t >= s - tolerance && t < e + tolerance) ?? null;
}

/** Seconds of contiguous media buffered from `t` on. */
export function bufferedAhead(ranges: readonly Range[], t: number): number {
  const r = rangeAt(ranges, t);
  return r ? Math.max(0, r[1] - t) : 0;
}

/**
 * Whether a buffered range overlaps the segment. Deliberately loose: frame boundaries never match
 * the nominal edges exactly (audio priming, a short last segment), so exact coverage tests can
 * stay false forever and stall the stream at its end. The scheduler combines this with its own
 * record of what it appended.
 */
export function overlapsBuffer(ranges: readonly Range[], seg: Segment): boolean {
  const eps = Math.min(0.05, seg.duration / 4);
  return ranges.some(([s, e]) => s < seg.start + seg.duration - eps && e > seg.start + eps);
}

/**
 * The next segment to fetch: the first one not present among the segment at `t` and the `ahead`
 * segments after it. null = the window is full (nothing to do now).
 */
export function nextSegmentToFetch(segments: readonly Segment[], isPresent: (index: number) => boolean, t: number, ahead = 3): number | null {
  const first = segmentIndexAt(segments, t);
  if (first < 0) return null;
  const last = Math.min(segments.length - 1, first + ahead);
  for (let i = first; i <= last; i++) if (!isPresent(i)) return i;
  return null;
}

/** True when every segment from the one at `t` to the end of the track is present. */
export function isPresentToEnd(segments: readonly Segment[], isPresent: (index: number) => boolean, t: number): boolean {
  const first = segmentIndexAt(segments, t);
  for (let i = Math.max(first, 0); i < segments.length; i++) if (!isPresent(i)) return false;
  return true;
}

/** What to remove behind the playhead so at most `keepBehind` seconds stay; null if nothing. */
export function evictionRange(ranges: readonly Range[], t: number, keepBehind = 30): Range | null {
  const first = ranges[0];
  if (!first) return null;
  const end = t - keepBehind;
  return end > first[0] + 0.5 ? [first[0], end] : null;
}

/**
 * A small hole at the playhead (encoder/priming gaps) stalls playback forever in some browsers.
 * Returns the time to jump to when the next range starts within `maxGap` seconds, else null.
 */
export function findGapJump(ranges: readonly Range[], t: number, maxGap = 0.5): number | null {
  // Well inside a range: not stuck on a gap. At its very end, the next range may start just after.
  const current = rangeAt(ranges, t, 0.001);
  if (current && current[1] - t > 0.05) return null;
  const next = ranges.find(([s]) => s > t);
  if (!next) return null;
  return next[0] - t <= maxGap ? next[0] + 0.01 : null;
}
