import { describe, expect, it } from 'vitest';
import {
  bufferedAhead,
  evictionRange,
  findGapJump,
  isPresentToEnd,
  nextSegmentToFetch,
  overlapsBuffer,
  segmentIndexAt,
  toRanges,
} from './bufferMath';
import type { Segment } from './manifest';

// Irregular durations on purpose: lookups must use start/duration, never index × 4.
const segments: Segment[] = [
  { url: '1', start: 0, duration: 4.004 },
  { url: '2', start: 4.004, duration: 4.004 },
  { url: '3', start: 8.008, duration: 2.5 },
  { url: '4', start: 10.508, duration: 4.004 },
  { url: '5', start: 14.512, duration: 0.3 },
];

describe('segmentIndexAt', () => {
  it('finds the segment by its own start and duration', () => {
    expect(segmentIndexAt(segments, 0)).toBe(0);
    expect(segmentIndexAt(segments, 4.003)).toBe(0);
    expect(segmentIndexAt(segments, 4.004)).toBe(1);
    expect(segmentIndexAt(segments, 10)).toBe(2); // index × 4 would say 2 as well, 12 would say 3:
    expect(segmentIndexAt(segments, 12)).toBe(3);
    expect(segmentIndexAt(segments, 14.6)).toBe(4);
    expect(segmentIndexAt(segments, 99)).toBe(4);
    expect(segmentIndexAt(segments, -1)).toBe(0);
    expect(segmentIndexAt([], 1)).toBe(-1);
  });
});

describe('scheduling window', () => {
  it('fetches the segment at t, then up to 3 ahead', () => {
    const present = new Set<number>();
    expect(nextSegmentToFetch(segments, (i) => present.has(i), 5, 3)).toBe(1);
    present.add(1).add(2).add(3).add(4);
    expect(nextSegmentToFetch(segments, (i) => present.has(i), 5, 3)).toBeNull();
    expect(nextSegmentToFetch(segments, (i) => present.has(i), 1, 3)).toBe(0);
    expect(isPresentToEnd(segments, (i) => present.has(i), 5)).toBe(true);
    expect(isPresentToEnd(segments, (i) => present.has(i), 1)).toBe(false);
  });

  it('counts a segment as buffered when a range overlaps it (short last segment included)', () => {
    expect(overlapsBuffer([[14.5, 14.79]], segments[4] as Segment)).toBe(true);
    expect(overlapsBuffer([[0, 4.0]], segments[1] as Segment)).toBe(false);
    expect(overlapsBuffer([[0, 4.2]], segments[1] as Segment)).toBe(true);
  });
});

describe('buffer helpers', () => {
  it('measures contiguous buffer ahead of the playhead', () => {
    expect(bufferedAhead([[0, 10], [12, 20]], 4)).toBe(6);
    expect(bufferedAhead([[0, 10], [12, 20]], 11)).toBe(0);
  });

  it('evicts only what is more than 30 s behind the playhead', () => {
    expect(evictionRange([[0, 100]], 20, 30)).toBeNull();
    expect(evictionRange([[0, 100]], 50, 30)).toEqual([0, 20]);
    expect(evictionRange([[40, 100]], 70.2, 30)).toBeNull();
  });

  it('jumps small gaps at the playhead but not big ones', () => {
    expect(findGapJump([[0.08, 10]], 0)).toBeCloseTo(0.09);
    expect(findGapJump([[0, 4.0], [4.3, 10]], 4.0)).toBeCloseTo(4.31);
    expect(findGapJump([[0, 4.0], [5, 10]], 4.0)).toBeNull();
    expect(findGapJump([[0, 10]], 3)).toBeNull();
  });

  it('converts TimeRanges', () => {
    expect(toRanges({ length: 2, start: (i) => i * 10, end: (i) => i * 10 + 5 })).toEqual([[0, 5], [10, 15]]);
  });
});
