import { describe, expect, it } from 'vitest';
// The file the worker's C# writer is pinned to (StreamForge.Media.Tests): if the writer changes a
// field the player reads, the golden file changes with it and these tests fail.
import goldenText from '../../../tests/StreamForge.Media.Tests/Golden/manifest.verified.json?raw';
import { parseManifest } from './manifest';
import { sampleManifestJson } from './testFakes';

type Kind = 'string' | 'number' | 'array' | 'object';
type Json = Record<string, unknown>;

const golden = JSON.parse(goldenText) as Json;

/** Every field parseManifest reads, with the type it requires. */
const SEGMENT: Record<string, Kind> = { url: 'string', start: 'number', duration: 'number' };
const TRACK: Record<string, Kind> = { mimeType: 'string', codecs: 'string', bandwidth: 'number', init: 'string', segments: 'array' };
const VIDEO: Record<string, Kind> = { ...TRACK, id: 'string', width: 'number', height: 'number' };
const AUDIO_TRACK: Record<string, Kind> = { ...TRACK, id: 'string', lang: 'string', label: 'string' };
const THUMBNAILS: Record<string, Kind> = { vtt: 'string', interval: 'number', tileWidth: 'number', tileHeight: 'number' };
const TOP: Record<string, Kind> = { version: 'number', videoId: 'string', duration: 'number', video: 'array', audio: 'object', thumbnails: 'object', hls: 'string' };

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

/** "where.key: expected kind, got kind" for every field that is missing or of the wrong type. */
function mismatches(value: unknown, fields: Record<string, Kind>, where: string): string[] {
  const o = value as Json;
  return Object.entries(fields).flatMap(([key, kind]) => (kindOf(o[key]) === kind ? [] : [`${where}.${key}: expected ${kind}, got ${kindOf(o[key])}`]));
}

function segmentMismatches(track: Json, where: string): string[] {
  const segments = (Array.isArray(track.segments) ? track.segments : []) as unknown[];
  return segments.flatMap((s, i) => mismatches(s, SEGMENT, `${where}.segments[${i}]`));
}

/** The structure of a JSON value (keys and kinds, arrays by their first element), values left out. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shapeOf((value as Json)[k])]));
  return kindOf(value);
}

describe("the worker's manifest.json (C# golden file)", () => {
  it('has every field the player reads, with the type it reads', () => {
    const video = golden.video as Json[];
    const audio = golden.audio as Json;
    const audioTracks = golden.audioTracks as Json[];
    const problems = [
      ...audioTracks.flatMap((t, i) => [...mismatches(t, AUDIO_TRACK, `audioTracks[${i}]`), ...segmentMismatches(t, `audioTracks[${i}]`)]),
      ...mismatches(golden, TOP, 'manifest'),
      ...video.flatMap((r, i) => [...mismatches(r, VIDEO, `video[${i}]`), ...segmentMismatches(r, `video[${i}]`)]),
      ...mismatches(audio, TRACK, 'audio'),
      ...segmentMismatches(audio, 'audio'),
      ...mismatches(golden.thumbnails, THUMBNAILS, 'thumbnails'),
    ];
    expect(problems).toEqual([]);
    expect(golden.version).toBe(1);
    expect(video.length).toBeGreaterThan(0);
  });

  it('is accepted by parseManifest, URLs resolved against the manifest', () => {
    const m = parseManifest(golden, 'https://cdn.test/media/golden-video/v1/manifest.json');
    expect(m.videoId).toBe('golden-video');
    expect(m.duration).toBe(golden.duration);
    expect(m.video.map((r) => r.height)).toEqual([360, 480, 720]);
    expect(m.video.every((r) => r.segments.length === 2 && r.width > 0 && r.codecs.startsWith('avc1.'))).toBe(true);
    expect(m.video[0]?.init).toBe('https://cdn.test/media/golden-video/v1/video/360p/init.mp4');
    expect(m.video[0]?.segments[1]).toEqual({ url: 'https://cdn.test/media/golden-video/v1/video/360p/seg_00002.m4s', start: 4, duration: 1 });
    expect(m.audio?.codecs).toBe('mp4a.40.2');
    expect(m.audio?.segments.map((s) => s.start)).toEqual([0, 3.989333]);
    expect(m.audioTracks.map((t) => [t.id, t.lang, t.label, t.default])).toEqual([['audio', 'und', 'Track 1', true]]);
    expect(m.thumbnails).toEqual({ vtt: 'https://cdn.test/media/golden-video/v1/thumbs/thumbs.vtt', interval: 4, tileWidth: 160, tileHeight: 90 });
    expect(m.hls).toBe('https://cdn.test/media/golden-video/v1/master.m3u8');
  });

  it("is the shape of the player tests' sample manifest, so the sample cannot drift from it", () => {
    expect(shapeOf(sampleManifestJson(2, true))).toEqual(shapeOf(golden));
  });
});
