import { describe, expect, it } from 'vitest';
import {
  clampSeek,
  isWaitingForMore,
  mergeManifest,
  newSegments,
  publishedEnd,
  refreshDelay,
  REFRESH_INTERVAL_MS,
  MAX_REFRESH_INTERVAL_MS,
  targetDuration,
  type EdgeInput,
} from './growingManifest';
import { loadManifest, MediaGoneError, parseManifest } from './manifest';
import { growingManifest, growingManifestJson, sampleManifest, sampleManifestJson } from './testFakes';

describe('parsing the growth fields', () => {
  it('reads complete, expectedDuration and segmentCount', () => {
    const m = growingManifest(2, 5);
    expect(m.complete).toBe(false);
    expect(m.expectedDuration).toBeCloseTo(5 * 4.004);
    expect(m.segmentCount).toBe(2);
    expect(m.video.every((r) => r.segments.length === 2)).toBe(true);
  });

  it('treats a manifest without the field as complete (versions published before growth)', () => {
    const { complete: _, ...old } = sampleManifestJson(3);
    const m = parseManifest(old, 'https://cdn.test/m/manifest.json');
    expect(m.complete).toBe(true);
    expect(m.expectedDuration).toBeNull();
    expect(m.segmentCount).toBeNull();
  });

  it('rejects a complete flag that is not a boolean', () => {
    expect(() => parseManifest({ ...sampleManifestJson(1), complete: 'no' }, 'https://x/')).toThrow(/complete must be true or false/);
  });
});

describe('merging a re-read manifest', () => {
  it('appends only the new segments, keeping the objects the streamers hold', () => {
    const current = growingManifest(2, 5);
    const rung = current.video[0]!;
    const segments = rung.segments;
    const first = segments[0];
    const merge = mergeManifest(current, growingManifest(4, 5));
    expect(merge).toEqual({ added: 2 * 3 + 2, completed: false });
    expect(current.video[0]).toBe(rung);
    expect(rung.segments).toBe(segments);
    expect(rung.segments[0]).toBe(first);
    expect(rung.segments.map((s) => s.url.slice(-13))).toEqual(['seg_00001.m4s', 'seg_00002.m4s', 'seg_00003.m4s', 'seg_00004.m4s']);
    expect(current.audio?.segments).toHaveLength(4);
    expect(current.segmentCount).toBe(4);
    expect(current.complete).toBe(false);
  });

  it('grows every audio track, the default one included once', () => {
    const current = growingManifest(1, 5, true, ['en', 'fr']);
    const french = current.audioTracks[1]!;
    const merge = mergeManifest(current, growingManifest(3, 5, true, ['en', 'fr']));
    expect(merge.added).toBe(2 * 3 + 2 * 2);
    expect(current.audioTracks[1]).toBe(french);
    expect(french.segments.map((s) => s.url.slice(-15))).toEqual(['2/seg_00001.m4s', '2/seg_00002.m4s', '2/seg_00003.m4s']);
    expect(current.audio?.segments).toHaveLength(3);
  });

  it('is idempotent: the same manifest again (a CDN copy) adds nothing', () => {
    const current = growingManifest(3, 5);
    expect(mergeManifest(current, growingManifest(3, 5)).added).toBe(0);
    expect(mergeManifest(current, growingManifest(2, 5)).added).toBe(0);
    expect(current.video[1]?.segments).toHaveLength(3);
  });

  it('turns complete with the final manifest, and a stale growing copy afterwards does not undo it', () => {
    const current = growingManifest(3, 5);
    const merge = mergeManifest(current, sampleManifest(5));
    expect(merge).toEqual({ added: 2 * 3 + 2, completed: true });
    expect(current.complete).toBe(true);
    expect(current.duration).toBeCloseTo(5 * 4.004);
    expect(mergeManifest(current, growingManifest(4, 5))).toEqual({ added: 0, completed: false });
    expect(current.complete).toBe(true);
  });

  it('ignores renditions the first manifest did not list', () => {
    const current = growingManifest(1, 3);
    const next = growingManifest(2, 3);
    next.video.push({ ...next.video[0]!, id: '1080p', height: 1080, width: 1920 });
    mergeManifest(current, next);
    expect(current.video.map((r) => r.id)).toEqual(['360p', '480p', '720p']);
  });

  it('takes segments by start time whatever their order in the JSON', () => {
    const existing = [{ url: 'a', start: 0, duration: 4 }];
    const incoming = [
      { url: 'c', start: 8, duration: 4 },
      { url: 'a2', start: 0.0001, duration: 4 },
      { url: 'b', start: 4, duration: 4 },
    ];
    expect(newSegments(existing, incoming).map((s) => s.url)).toEqual(['b', 'c']);
    expect(newSegments([], incoming).map((s) => s.url)).toEqual(['a2', 'b', 'c']);
  });
});

describe('how far the media is published', () => {
  it('is the end of the shortest track while growing', () => {
    // Video segments are 4.004 s, audio ones 4.0107 s: video is the shorter.
    expect(publishedEnd(growingManifest(2, 5))).toBeCloseTo(8.008);
    const oneAudioShort = growingManifest(3, 5);
    oneAudioShort.audio!.segments.pop();
    expect(publishedEnd(oneAudioShort)).toBeCloseTo(2 * 4.0107);
  });

  it('is the duration once complete', () => {
    expect(publishedEnd(sampleManifest(5))).toBeCloseTo(5 * 4.004);
  });
});

describe('MediaSource duration', () => {
  it('is the expected length while growing, so the element waits at the published end instead of ending', () => {
    expect(targetDuration(growingManifest(2, 5))).toBeCloseTo(5 * 4.004);
  });

  it('grows when the published media outruns a short probe, and never shrinks while growing', () => {
    const m = growingManifest(3, 5);
    m.expectedDuration = 10;
    expect(targetDuration(m)).toBeCloseTo(3 * 4.004);
    expect(targetDuration(m, 25)).toBe(25);
  });

  it('falls back to the published end without an expected duration', () => {
    const m = parseManifest({ ...growingManifestJson(2, 5), expectedDuration: undefined }, 'https://x/m.json');
    expect(targetDuration(m)).toBeCloseTo(8.008);
  });

  it('is the final duration once complete', () => {
    expect(targetDuration(sampleManifest(4), 30)).toBeCloseTo(4 * 4.004);
  });
});

describe('waiting at the live edge', () => {
  const at = (over: Partial<EdgeInput>): EdgeInput => ({
    complete: false, currentTime: 7.99, availableEnd: 8.008, paused: false, ended: false, stalled: true, hasFutureData: false, ...over,
  });

  it('waits when playing stops at the published end of a growing video', () => {
    expect(isWaitingForMore(at({}))).toBe(true);
    expect(isWaitingForMore(at({ stalled: false }))).toBe(true); // no 'waiting' event yet, but nothing ahead
  });

  it('is ordinary buffering away from the edge, and nothing at all when complete, paused or ended', () => {
    expect(isWaitingForMore(at({ currentTime: 3 }))).toBe(false);
    expect(isWaitingForMore(at({ complete: true }))).toBe(false);
    expect(isWaitingForMore(at({ paused: true }))).toBe(false);
    expect(isWaitingForMore(at({ ended: true }))).toBe(false);
  });

  it('is not waiting while the media right after the playhead is there', () => {
    expect(isWaitingForMore(at({ stalled: false, hasFutureData: true }))).toBe(false);
  });
});

describe('seeking while growing', () => {
  it('clamps a seek past the published end to a little before it', () => {
    expect(clampSeek(15, 20, 8, false)).toBe(7);
    expect(clampSeek(5, 20, 8, false)).toBe(5);
    expect(clampSeek(-3, 20, 8, false)).toBe(0);
    expect(clampSeek(0.5, 20, 0.5, false)).toBe(0);
  });

  it('allows the whole video once complete', () => {
    expect(clampSeek(15, 20, 20, true)).toBe(15);
    expect(clampSeek(25, 20, 20, true)).toBe(20);
  });
});

describe('re-read schedule', () => {
  it('re-reads every 2 s and backs off after failures, up to 10 s', () => {
    expect(refreshDelay(0)).toBe(REFRESH_INTERVAL_MS);
    expect(refreshDelay(1)).toBe(4000);
    expect(refreshDelay(10)).toBe(MAX_REFRESH_INTERVAL_MS);
  });
});

describe('re-reading the manifest', () => {
  it('revalidates with the CDN instead of taking the browser copy', async () => {
    const seen: RequestInit[] = [];
    const m = await loadManifest('https://cdn.test/media/v1/manifest.json', async (_url, init) => {
      seen.push(init ?? {});
      return new Response(JSON.stringify(growingManifestJson(2, 5)), { status: 200 });
    }, { cache: 'no-cache' });
    expect(seen[0]?.cache).toBe('no-cache');
    expect(m.complete).toBe(false);
  });

  it('says in words that a removed version is gone, where a broken link stays an HTTP error', async () => {
    const notFound = async () => new Response('', { status: 404 });
    await expect(loadManifest('https://cdn.test/m.json', notFound, { goneOn404: true })).rejects.toThrow(MediaGoneError);
    await expect(loadManifest('https://cdn.test/m.json', notFound, { goneOn404: true })).rejects.toThrow(/processing failed or was stopped/);
    await expect(loadManifest('https://cdn.test/m.json', async () => new Response('', { status: 500 }), { goneOn404: true })).rejects.toThrow('HTTP 500');
  });
});
