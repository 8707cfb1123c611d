import { describe, expect, it } from 'vitest';
import { checkCodecs, mimeCodec, playbackMode } from './codecs';
import { ManifestError, parseManifest, loadManifest } from './manifest';
import { sampleManifest, sampleManifestJson } from './testFakes';

describe('manifest', () => {
  it('resolves URLs against the manifest URL and sorts renditions by bandwidth', () => {
    const m = sampleManifest(3);
    expect(m.video.map((r) => r.id)).toEqual(['360p', '480p', '720p']);
    expect(m.video[0]?.init).toBe('https://cdn.test/media/v1/video/360p/init.mp4');
    expect(m.video[0]?.segments[2]).toEqual({ url: 'https://cdn.test/media/v1/video/360p/seg_00003.m4s', start: 8.008, duration: 4.004 });
    expect(m.audio?.segments[1]?.start).toBeCloseTo(4.0107);
    expect(m.thumbnails?.vtt).toBe('https://cdn.test/media/v1/thumbs/thumbs.vtt');
    expect(m.hls).toBe('https://cdn.test/media/v1/master.m3u8');
  });

  it('plays through MSE where it exists, else through native HLS, else not at all', () => {
    expect(playbackMode(true, true)).toBe('mse');
    expect(playbackMode(true, false)).toBe('mse');
    expect(playbackMode(false, true)).toBe('native-hls');
    expect(playbackMode(false, false)).toBe('unsupported');
  });

  it('accepts a video without audio', () => {
    expect(sampleManifest(2, false).audio).toBeNull();
    expect(sampleManifest(2, false).audioTracks).toEqual([]);
  });

  it('lists every audio track with its language and label, the default also as audio', () => {
    const m = sampleManifest(2, true, ['eng', 'fra']);
    expect(m.audioTracks.map((t) => [t.id, t.lang, t.label, t.default])).toEqual([
      ['audio', 'eng', 'Track 1', true],
      ['audio-2', 'fra', 'Track 2', false],
    ]);
    expect(m.audioTracks[1]?.init).toBe('https://cdn.test/media/v1/audio/2/init.mp4');
    expect(m.audioTracks[1]?.segments[1]?.url).toBe('https://cdn.test/media/v1/audio/2/seg_00002.m4s');
    expect(m.audio).toBe(m.audioTracks[0]);
  });

  it('reads a manifest from before audioTracks as one default track of unknown language', () => {
    const json = sampleManifestJson(2) as Record<string, unknown>;
    delete json.audioTracks;
    const m = parseManifest(json, 'https://cdn.test/media/v1/manifest.json');
    expect(m.audioTracks.map((t) => [t.id, t.lang, t.label, t.default, t.init])).toEqual([
      ['audio', 'und', 'Track 1', true, 'https://cdn.test/media/v1/audio/init.mp4'],
    ]);
    expect(m.audio).toBe(m.audioTracks[0]);
  });

  it('rejects audio tracks without an id or listed twice', () => {
    const json = sampleManifestJson(2, true, ['en', 'fr']);
    const twice = { ...json, audioTracks: [json.audioTracks![0], { ...json.audioTracks![1], id: 'audio' }] };
    expect(() => parseManifest(twice, 'https://x/')).toThrow(/listed twice/);
    const noId = { ...json, audioTracks: [{ ...json.audioTracks![0], id: '' }] };
    expect(() => parseManifest(noId, 'https://x/')).toThrow(/audioTracks\[0\]\.id/);
  });

  it('leaves an audio track the browser cannot play out of the choice', () => {
    const m = sampleManifest(2, true, ['en', 'fr']);
    m.audioTracks[1]!.codecs = 'ec-3';
    const check = checkCodecs(m, (t) => !t.includes('ec-3'));
    expect(check.error).toBeNull();
    expect(check.audio.map((t) => t.id)).toEqual(['audio']);
  });

  it('rejects malformed manifests with a clear message', () => {
    expect(() => parseManifest({ version: 2 }, 'https://x/')).toThrow(/unsupported version 2/);
    expect(() => parseManifest({ version: 1, duration: 1, video: [] }, 'https://x/')).toThrow(ManifestError);
    expect(() =>
      parseManifest({ version: 1, duration: 1, video: [{ id: 'a', width: 1, height: 1, bandwidth: 1, codecs: 'avc1', mimeType: 'video/mp4', init: 'i', segments: [{ url: 's', start: 'x', duration: 1 }] }] }, 'https://x/'),
    ).toThrow('Invalid manifest: video[0].segments[0].start must be a number');
  });

  it('loads over fetch and reports HTTP failures', async () => {
    const ok = await loadManifest('https://cdn.test/m/manifest.json', async () =>
      new Response(JSON.stringify({ version: 1, duration: 4, video: [{ id: '360p', width: 640, height: 360, bandwidth: 1, codecs: 'avc1.4d401e', mimeType: 'video/mp4', init: 'v/init.mp4', segments: [{ url: 'v/1.m4s', start: 0, duration: 4 }] }], audio: null }), { status: 200 }),
    );
    expect(ok.video[0]?.segments[0]?.url).toBe('https://cdn.test/m/v/1.m4s');
    await expect(loadManifest('https://cdn.test/m/manifest.json', async () => new Response('', { status: 404 }))).rejects.toThrow('HTTP 404');
  });
});

describe('codec check', () => {
  it('builds the MSE type string from the manifest codecs', () => {
    expect(mimeCodec({ mimeType: 'video/mp4', codecs: 'avc1.64001f' })).toBe('video/mp4; codecs="avc1.64001f"');
  });
  it('keeps supported renditions and explains what is not supported', () => {
    const m = sampleManifest(1);
    expect(checkCodecs(m, () => true)).toMatchObject({ error: null });
    expect(checkCodecs(m, (t) => t.startsWith('audio')).error).toMatch(/cannot play this video's format \(video\/mp4; codecs="avc1.64001f"\)/);
    expect(checkCodecs(m, (t) => t.startsWith('video')).error).toMatch(/audio/);
  });
});
