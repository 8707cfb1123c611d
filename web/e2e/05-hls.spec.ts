// The HLS side of every ready video: the master playlist over the same fMP4 segments plays to the end, with a
// seek, in Chromium through hls.js; and the SPA hands that playlist to the <video> element where MSE is missing.
import fs from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { makeClip, removeClip } from './lib/clips';
import { stackInfo } from './lib/env';
import { HLS_JS_BASE_CONFIG, openPlayerPage } from './lib/thirdPartyPlayers';
import { PASSWORD, shot, signIn, uniqueEmail, until } from './lib/ui';

const info = stackInfo();
test.use({ baseURL: info.apiUrl });

interface ReadyVideo { id: string; manifestUrl: string }

/** Uploads a small clip through the API (one presigned PUT) and waits until it is ready. */
async function readyVideo(request: APIRequestContext): Promise<ReadyVideo> {
  const registered = await request.post('/api/v1/auth/register', { data: { email: uniqueEmail('hls'), password: PASSWORD } });
  expect(registered.status()).toBe(201);
  const headers = { authorization: `Bearer ${(await registered.json()).accessToken}` };
  const clip = makeClip('e2e-hls', { seconds: 6, size: '640x360', bitrate: '1M' });
  try {
    const bytes = fs.readFileSync(clip);
    const created = await request.post('/api/v1/uploads', { headers, data: { fileName: 'hls.mp4', size: bytes.length, contentType: 'video/mp4', title: 'HLS' } });
    expect(created.status()).toBe(201);
    const upload = await created.json();
    expect(upload.mode).toBe('single');
    const put = await request.put(upload.url, { data: bytes, headers: { 'content-type': 'video/mp4' } });
    expect(put.ok()).toBe(true);
    expect((await request.post(`/api/v1/uploads/${upload.videoId}/complete`, { headers })).status()).toBe(202);
    const video = await until('the video to be ready', async () => {
      const v = await (await request.get(`/api/v1/videos/${upload.videoId}`, { headers })).json();
      if (v.status === 'failed') throw new Error(`processing failed: ${v.lastError}`);
      return v.status === 'ready' ? v : null;
    }, 120_000, 250);
    return { id: upload.videoId, manifestUrl: video.manifestUrl };
  } finally {
    removeClip(clip);
  }
}

test.describe.serial('HLS', () => {
  let video: ReadyVideo;

  test('a ready video lists an HLS master playlist over its DASH segments', async ({ request }) => {
    video = await readyVideo(request);
    const manifest = await (await request.get(video.manifestUrl)).json();
    expect(manifest.hls).toBe('master.m3u8');
    const masterUrl = new URL(manifest.hls, video.manifestUrl).href;
    const master = await request.get(masterUrl);
    expect(master.headers()['content-type']).toBe('application/vnd.apple.mpegurl');
    const text = await master.text();
    expect(text.startsWith('#EXTM3U\n')).toBe(true);
    const variants = text.split('\n').filter((l) => l.startsWith('#EXT-X-STREAM-INF:'));
    expect(variants.length).toBe(manifest.video.length);
    for (const v of variants) expect(v).toMatch(/BANDWIDTH=\d+,RESOLUTION=\d+x\d+,CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2",FRAME-RATE=30\.000,AUDIO="audio"/);
    // The media playlists name the very segments manifest.json lists: no second copy.
    const top = manifest.video[manifest.video.length - 1];
    const media = await (await request.get(new URL(`video/${top.id}/index.m3u8`, video.manifestUrl).href)).text();
    expect(media).toContain('#EXT-X-MAP:URI="init.mp4"');
    expect(media.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(media.split('\n').filter((l) => l.endsWith('.m4s'))).toEqual(top.segments.map((s: { url: string }) => s.url.split('/').pop()));
  });

  test('hls.js plays the master playlist to the end, with a seek', async ({ page }) => {
    await openPlayerPage(page, 'hlsjs');
    const masterUrl = new URL('master.m3u8', video.manifestUrl).href;
    const result = await page.evaluate(async ({ url, config }) => {
      type HlsCtor = { new (c: object): { loadSource(u: string): void; attachMedia(v: HTMLVideoElement): void; on(e: string, f: (e: string, d: { fatal: boolean; details: string }) => void): void }; isSupported(): boolean; Events: Record<string, string> };
      const Hls = (window as unknown as { Hls: HlsCtor }).Hls;
      if (!Hls.isSupported()) return { error: 'hls.js is not supported here' };
      const video = document.createElement('video');
      video.muted = true;
      document.body.append(video);
      const hls = new Hls(config);
      const errors: string[] = [];
      // What hls.js did and when, so a failure says where it stopped.
      const t0 = performance.now();
      const timeline: string[] = [];
      for (const name of ['MEDIA_ATTACHED', 'MANIFEST_PARSED', 'LEVEL_LOADED', 'AUDIO_TRACK_LOADED', 'FRAG_LOADING', 'FRAG_LOADED', 'BUFFER_CODECS', 'BUFFER_APPENDED', 'LEVEL_SWITCHED'])
        hls.on(Hls.Events[name]!, (_e, d) => {
          const f = (d as { frag?: { type: string; sn: number | string; level: number } }).frag;
          timeline.push(`${Math.round(performance.now() - t0)} ${name}${f ? ` ${f.type}/${f.level}/${f.sn}` : ''}`);
        });
      hls.on(Hls.Events.ERROR, (_e, d) => {
        const x = d as { error?: Error; event?: string; frag?: { type: string; sn: number | string } };
        timeline.push(`${Math.round(performance.now() - t0)} ERROR ${d.details}${d.fatal ? ' fatal' : ''} ${x.event ?? ''} ${x.frag ? `${x.frag.type}/${x.frag.sn}` : ''} ${x.error ? `${x.error.message} @ ${(x.error.stack ?? '').split('\n').slice(1, 4).join(' | ')}` : ''}`);
        if (d.fatal) errors.push(d.details);
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      const on = (event: string, ms: number) => new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        video.addEventListener(event, () => { clearTimeout(timer); resolve(true); }, { once: true });
      });
      const state = () => `timeline [${timeline.slice(-25).join('; ')}] readyState ${video.readyState}, t=${video.currentTime.toFixed(2)}, buffered ${Array.from({ length: video.buffered.length }, (_, i) => `${video.buffered.start(i).toFixed(2)}-${video.buffered.end(i).toFixed(2)}`).join(',')}, errors ${errors.join(',')}`;
      if (!(await on('loadedmetadata', 20_000))) return { error: `no metadata: ${state()}` };
      const started = await Promise.race([video.play().then(() => true, () => false), new Promise<boolean>((r) => setTimeout(() => r(false), 20_000))]);
      if (!started) return { error: `play() did not start: ${state()}` };
      const played = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 20_000);
        video.addEventListener('timeupdate', function check() {
          if (video.currentTime > 1) { clearTimeout(timer); video.removeEventListener('timeupdate', check); resolve(true); }
        });
      });
      const duration = video.duration;
      video.currentTime = duration - 1.5;
      const seeked = await on('seeked', 20_000);
      const ended = await on('ended', 30_000);
      return { played, seeked, ended, duration, height: video.videoHeight, errors, error: played && seeked && ended ? null : state() };
    }, { url: masterUrl, config: HLS_JS_BASE_CONFIG });
    expect(result.error).toBeNull();
    expect(result.errors).toEqual([]);
    expect(result.played).toBe(true);
    expect(result.seeked).toBe(true);
    expect(result.ended).toBe(true);
    expect(result.duration).toBeGreaterThan(5.5);
    expect(result.height).toBeGreaterThan(0);
  });

  test('without MSE the SPA hands the HLS playlist to the video element', async ({ page, context }) => {
    // What iPhone Safari looks like to the page: no MediaSource, native HLS.
    await context.addInitScript(() => {
      delete (window as { MediaSource?: unknown }).MediaSource;
      const native = HTMLMediaElement.prototype.canPlayType;
      HTMLMediaElement.prototype.canPlayType = function (type: string) {
        return type === 'application/vnd.apple.mpegurl' ? 'maybe' : native.call(this, type);
      };
    });
    await signIn(page, info.env.Auth__AdminEmail, info.env.Auth__AdminPassword);
    await page.goto(`/watch/${video.id}`);
    const player = page.getByTestId('player');
    await expect(player).toHaveAttribute('data-status', 'native-hls');
    await expect(player.locator('video')).toHaveAttribute('src', new URL('master.m3u8', video.manifestUrl).href);
    await shot(page, 'hls-fallback');
  });
});
