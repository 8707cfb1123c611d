import { describe, expect, it } from 'vitest';
import { AppendQueue } from './appendQueue';
import { toRanges } from './bufferMath';
import type { Manifest, Representation } from './manifest';
import { FakeSourceBuffer, sampleManifest } from './testFakes';
import { TrackStreamer, type TrackStreamerOptions } from './trackStreamer';

function setup(overrides: Partial<TrackStreamerOptions> = {}, segments = 6, first?: (m: Manifest) => Representation) {
  const manifest = sampleManifest(segments, true, ['en', 'fr']);
  const rung = (i: number): Representation => {
    const r = manifest.video[i];
    if (!r) throw new Error(`no rung ${i}`);
    return r;
  };
  const [r360, r480, r720] = [rung(0), rung(1), rung(2)];
  const sb = new FakeSourceBuffer();
  const queue = new AppendQueue(sb);
  const fetched: string[] = [];
  const ids = new Map<string, number>();
  let nextId = 1;
  let rep: Representation = first?.(manifest) ?? r360;
  let now = 0;
  const fatal: Error[] = [];
  // Every URL gets a payload whose first byte identifies it; media payloads cover their segment's time.
  for (const r of [...manifest.video, ...manifest.audioTracks]) {
    ids.set(r.init, nextId++);
    for (const s of r.segments) {
      const id = nextId++;
      ids.set(s.url, id);
      sb.coverage.set(id, [s.start, s.start + s.duration]);
    }
  }
  const options: TrackStreamerOptions = {
    kind: 'video',
    queue,
    fetchSegment: async (url) => {
      fetched.push(url.replace('https://cdn.test/media/v1/', ''));
      return new Uint8Array([ids.get(url) ?? 0]).buffer;
    },
    buffered: () => toRanges(sb.buffered),
    chooseRepresentation: () => rep,
    onAppended: () => undefined,
    onFatal: (e) => fatal.push(e),
    now: () => now,
    prefetchSegments: 3,
    evictBehindSeconds: 30,
    initialCodec: 'video/mp4; codecs="avc1.64001f"',
    ...overrides,
  };
  const streamer = new TrackStreamer(options, rep);
  const runTicks = async (t: number, n = 10) => {
    for (let i = 0; i < n; i++) await streamer.tick(t);
  };
  return {
    sb, queue, streamer, fetched, fatal, runTicks, r360, r480, r720, manifest,
    setRep: (r: Representation) => (rep = r),
    advance: (ms: number) => (now += ms),
  };
}

describe('TrackStreamer', () => {
  it('appends the init, then the segment at the playhead and 3 ahead, then waits', async () => {
    const { fetched, runTicks, sb } = setup();
    await runTicks(0);
    expect(fetched).toEqual([
      'video/360p/init.mp4',
      'video/360p/seg_00001.m4s',
      'video/360p/seg_00002.m4s',
      'video/360p/seg_00003.m4s',
      'video/360p/seg_00004.m4s',
    ]);
    expect(toRanges(sb.buffered)).toEqual([[0, 4 * 4.004]]);
  });

  it('appends the new rendition init before its first segment on a switch, and reuses cached inits', async () => {
    const { fetched, runTicks, streamer, setRep, r480, r360, sb } = setup();
    await streamer.tick(0);
    await streamer.tick(0);
    setRep(r480);
    await streamer.tick(0);
    setRep(r360);
    await streamer.tick(0);
    expect(fetched).toEqual([
      'video/360p/init.mp4',
      'video/360p/seg_00001.m4s',
      'video/360p/seg_00002.m4s',
      'video/480p/init.mp4',
      'video/480p/seg_00003.m4s',
      'video/360p/seg_00004.m4s', // 360p init came from the cache, but was appended again:
    ]);
    expect(sb.appended.length).toBe(7);
    await runTicks(0);
    expect(streamer.representationAt(9)).toBe('480p');
    expect(streamer.representationAt(5)).toBe('360p');
  });

  it('on a seek into unbuffered time aborts the stale fetch and fetches the segment containing the new time', async () => {
    let release: (() => void) | null = null;
    const { fetched, streamer, runTicks } = setup({}, 10);
    await runTicks(0, 2); // init + seg 1
    const base = (streamer as unknown as { options: TrackStreamerOptions }).options;
    const realFetch = base.fetchSegment;
    base.fetchSegment = (url, signal) =>
      new Promise((resolve, reject) => {
        fetched.push(`hanging:${url.replace('https://cdn.test/media/v1/', '')}`);
        release = () => resolve(new ArrayBuffer(1));
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const hanging = streamer.tick(0);
    await new Promise((r) => setTimeout(r, 1));
    expect(streamer.busy).toBe(true);
    streamer.onSeek(30);
    await hanging;
    expect(release).not.toBeNull();
    expect(fetched.at(-1)).toBe('hanging:video/360p/seg_00003.m4s');
    base.fetchSegment = realFetch;
    await streamer.tick(30);
    // 30 s lies in segment 8 (starts at 28.028), not "30 / 4 + 1".
    expect(fetched.slice(-1)).toEqual(['video/360p/seg_00008.m4s']);
  });

  it('is complete once every segment to the end is appended', async () => {
    const { streamer, runTicks } = setup({}, 6);
    await runTicks(10);
    expect(streamer.isComplete(10)).toBe(true);
    expect(streamer.isComplete(0)).toBe(false);
  });

  it('evicts media more than 30 s behind the playhead', async () => {
    const { streamer, runTicks, sb } = setup({}, 15);
    await runTicks(0);
    for (let t = 4; t <= 40; t += 4) await runTicks(t, 2);
    expect(sb.removed.length).toBeGreaterThan(0);
    expect(toRanges(sb.buffered)[0]?.[0]).toBeGreaterThan(5);
    expect(streamer.isComplete(40)).toBe(false);
  });

  it('flushes ahead of the current segment for a manual quality change', async () => {
    const { streamer, runTicks, setRep, r720, fetched, sb } = setup({}, 6);
    await runTicks(1);
    await streamer.flushAhead(1, 6 * 4.004);
    expect(sb.removed.at(-1)).toEqual([4.004, 6 * 4.004]);
    setRep(r720);
    await runTicks(1, 3);
    expect(fetched.slice(-4)).toEqual(['video/720p/init.mp4', 'video/720p/seg_00002.m4s', 'video/720p/seg_00003.m4s', 'video/720p/seg_00004.m4s']);
  });

  it('switches the audio track mid-play: keeps the playing segment, then the new track from its init on', async () => {
    const english = (m: Manifest) => m.audioTracks[0]!;
    const { streamer, runTicks, setRep, manifest, fetched, sb } = setup({ kind: 'audio', initialCodec: 'audio/mp4; codecs="mp4a.40.2"' }, 6, english);
    await runTicks(5);
    expect(fetched.slice(0, 2)).toEqual(['audio/init.mp4', 'audio/seg_00002.m4s']);
    const french = manifest.audioTracks[1]!;
    setRep(french);
    await streamer.flushAhead(5, 6 * 4.0107);
    // The segment at the playhead (4.01-8.02) stays; what follows it goes.
    expect(sb.removed.at(-1)).toEqual([2 * 4.0107, 6 * 4.0107]);
    expect(toRanges(sb.buffered)[0]?.[1]).toBeCloseTo(2 * 4.0107);
    fetched.length = 0;
    await runTicks(5, 4);
    expect(fetched).toEqual(['audio/2/init.mp4', 'audio/2/seg_00003.m4s', 'audio/2/seg_00004.m4s', 'audio/2/seg_00005.m4s']);
    expect(streamer.representationAt(5)).toBe('audio');
    expect(streamer.representationAt(9)).toBe('audio-2');
    // No codec change: the same SourceBuffer takes the new track's init segment as is.
    expect(toRanges(sb.buffered)).toEqual([[4.0107, 5 * 4.0107]]);
  });

  it('backs off after a failed download and gives up after 4 failures', async () => {
    const { streamer, fatal, advance } = setup({
      fetchSegment: async () => {
        throw new Error('Could not load video data (HTTP 503).');
      },
    });
    for (let i = 0; i < 4; i++) {
      await streamer.tick(0);
      await streamer.tick(0); // inside the backoff: no request
      advance(60_000);
    }
    expect(fatal.map((e) => e.message)).toEqual(['Could not load video data (HTTP 503).']);
  });
});
