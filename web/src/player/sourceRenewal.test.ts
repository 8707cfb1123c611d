import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest';
import { baseOf, rebaseManifest, rebaseUrl } from './sourceRenewal';

const id = '3f2b6c1e-1111-4222-8333-444455556666';
const oldUrl = `https://cdn.example/media-bucket/p/1700000000.0.AAAAAAAAAAAAAAAAAAAAAA/private/${id}/v2/manifest.json`;
const newUrl = `https://cdn.example/media-bucket/p/1700014400.0.BBBBBBBBBBBBBBBBBBBBBB/private/${id}/v2/manifest.json`;

const json = {
  version: 1,
  videoId: id,
  duration: 8,
  video: [{ id: '360p', mimeType: 'video/mp4', codecs: 'avc1.4d401e', bandwidth: 800000, width: 640, height: 360, init: '360p/init.mp4',
    segments: [{ url: '360p/seg_00001.m4s', start: 0, duration: 4 }, { url: '360p/seg_00002.m4s', start: 4, duration: 4 }] }],
  audioTracks: [
    { id: 'audio', lang: 'eng', default: true, mimeType: 'audio/mp4', codecs: 'mp4a.40.2', bandwidth: 128000, init: 'audio/init.mp4', segments: [{ url: 'audio/seg_00001.m4s', start: 0, duration: 4 }] },
    { id: 'audio-2', lang: 'fra', mimeType: 'audio/mp4', codecs: 'mp4a.40.2', bandwidth: 128000, init: 'audio/2/init.mp4', segments: [{ url: 'audio/2/seg_00001.m4s', start: 0, duration: 4 }] },
  ],
  thumbnails: { vtt: 'thumbs/thumbs.vtt', interval: 2, tileWidth: 160, tileHeight: 90 },
  hls: 'master.m3u8',
};

describe('source renewal', () => {
  it('takes the manifest folder as the base', () => {
    expect(baseOf(oldUrl)).toBe(oldUrl.replace('manifest.json', ''));
  });

  it('moves only URLs under the old base', () => {
    const from = baseOf(oldUrl);
    const to = baseOf(newUrl);
    expect(rebaseUrl(`${from}360p/seg_00001.m4s`, from, to)).toBe(`${to}360p/seg_00001.m4s`);
    expect(rebaseUrl('https://elsewhere.example/x.m4s', from, to)).toBe('https://elsewhere.example/x.m4s');
  });

  it('moves every URL of the manifest in place, so holders of its representations see the new place', () => {
    const manifest = parseManifest(json, oldUrl);
    const held = manifest.video[0]!;
    const heldAudio = manifest.audioTracks[1]!;
    rebaseManifest(manifest, baseOf(oldUrl), baseOf(newUrl));
    const urls = [
      ...manifest.video.flatMap((r) => [r.init, ...r.segments.map((s) => s.url)]),
      ...manifest.audioTracks.flatMap((r) => [r.init, ...r.segments.map((s) => s.url)]),
      manifest.thumbnails!.vtt,
      manifest.hls!,
    ];
    expect(urls).toHaveLength(9);
    for (const url of urls) expect(url.startsWith(baseOf(newUrl))).toBe(true);
    expect(held.segments[1]!.url).toBe(`${baseOf(newUrl)}360p/seg_00002.m4s`);
    expect(heldAudio.init).toBe(`${baseOf(newUrl)}audio/2/init.mp4`);
    // The default track is the same object as its entry in audioTracks: moved once, not twice.
    expect(manifest.audio!.init).toBe(`${baseOf(newUrl)}audio/init.mp4`);
  });
});
