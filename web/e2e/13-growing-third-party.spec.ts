// The same growing video in three third-party players (issue 19): Shaka Player and dash.js on the dynamic MPD,
// hls.js on the EVENT playlists, each on a bare page like 05-hls. Each shows its first frame from 0 while the API
// still says processing and plays on as the indexes grow; hls.js ends after the switch to the VOD playlists. The
// DASH players' end after the switch to the static MPD is reported, not required (a known defect, see below).
// The player settings are the ones docs/architecture.md names for a viewer page (start at 0).
import fs from 'node:fs';
import { expect, test, type BrowserContext } from '@playwright/test';
import { makeClip, removeClip } from './lib/clips';
import { stackInfo } from './lib/env';
import { HLS_JS_BASE_CONFIG, openPlayerPage, type ThirdPartyPlayer } from './lib/thirdPartyPlayers';
import { PASSWORD, uniqueEmail, until } from './lib/ui';

const info = stackInfo();
test.use({ baseURL: info.apiUrl });

interface Outcome {
  firstFrameAt: number | null; // media time of the first 'playing'
  statusAtFirstFrame: string | null; // GET /videos/{id} as the first frame showed
  ended: boolean;
  currentTime: number;
  duration: number;
  errors: string[];
  log: string[];
}

/** Plays `url` from 0 to the end in a bare page of the API's origin. */
async function play(context: BrowserContext, which: ThirdPartyPlayer, url: string, videoApi: string, token: string): Promise<Outcome> {
  const page = await context.newPage();
  await openPlayerPage(page, which);
  try {
    return await page.evaluate(async ({ which, url, videoApi, token, hlsBase }) => {
      const w = window as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const video = document.createElement('video');
      video.muted = true;
      video.width = 320; // small: three 1080p ladders at once would starve the encoder they wait for
      document.body.append(video);
      const errors: string[] = [];
      const log: string[] = [];
      const t0 = performance.now();
      const stamp = (what: string) => log.push(`${what} @${((performance.now() - t0) / 1000).toFixed(1)}s t=${video.currentTime.toFixed(2)}`);
      let firstFrameAt: number | null = null;
      let statusAtFirstFrame: Promise<string | null> = Promise.resolve(null);
      video.addEventListener('playing', () => {
        stamp('playing');
        if (firstFrameAt !== null) return;
        firstFrameAt = video.currentTime;
        statusAtFirstFrame = fetch(videoApi, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json()).then((v) => v.status);
      });
      video.addEventListener('waiting', () => stamp('waiting'));
      video.addEventListener('error', () => errors.push(`media error ${video.error?.code}`));
      const ended = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 240_000);
        video.addEventListener('ended', () => { clearTimeout(timer); resolve(true); }, { once: true });
      });
      if (which === 'shaka') {
        w.shaka.polyfill.installAll();
        const player = new w.shaka.Player();
        await player.attach(video);
        player.configure({ abr: { enabled: false } });
        player.addEventListener('error', (e: { detail?: { code?: number } }) => errors.push(`shaka ${e.detail?.code}`));
        await player.load(url, 0); // start at 0, not at the live edge
        const lowest = player.getVariantTracks().sort((a: { bandwidth: number }, b: { bandwidth: number }) => a.bandwidth - b.bandwidth)[0];
        player.selectVariantTrack(lowest, true);
        await video.play();
      } else if (which === 'dashjs') {
        const player = w.dashjs.MediaPlayer().create();
        player.updateSettings({ streaming: { abr: { autoSwitchBitrate: { video: false }, initialBitrate: { video: 1 } } } });
        player.on(w.dashjs.MediaPlayer.events.ERROR, (e: { error?: { code?: number; message?: string } }) => errors.push(`dash.js ${e.error?.code} ${e.error?.message}`));
        // Autoplay from 0; dash.js starts playback itself (it refreshes the MPD once it has seen 'play').
        player.initialize(video, url, true, 0);
      } else {
        const hls = new w.Hls({ ...hlsBase, startPosition: 0, capLevelToPlayerSize: true });
        hls.on(w.Hls.Events.ERROR, (_e: string, d: { fatal: boolean; details: string }) => { if (d.fatal) errors.push(`hls.js ${d.details}`); });
        hls.loadSource(url);
        hls.attachMedia(video);
        await new Promise((resolve) => video.addEventListener('loadedmetadata', resolve, { once: true }));
        await video.play();
      }
      const done = await ended;
      // Where a player that never ended stands: what the element has buffered, and what MSE was told.
      const buffered = Array.from({ length: video.buffered.length }, (_, i) => `${video.buffered.start(i).toFixed(3)}-${video.buffered.end(i).toFixed(3)}`).join(',');
      stamp(done ? 'ended' : `gave up: buffered ${buffered}, readyState ${video.readyState}, duration ${video.duration}`);
      return { firstFrameAt, statusAtFirstFrame: await statusAtFirstFrame, ended: done, currentTime: video.currentTime, duration: video.duration, errors, log };
    }, { which, url, videoApi, token, hlsBase: HLS_JS_BASE_CONFIG });
  } finally {
    await page.close();
  }
}

test('a growing video plays from 0 in Shaka Player, dash.js and hls.js, and on as it grows; hls.js ends after it turns ready', async ({ browser, request }) => {
  test.setTimeout(420_000);
  const registered = await request.post('/api/v1/auth/register', { data: { email: uniqueEmail('third'), password: PASSWORD } });
  expect(registered.status()).toBe(201);
  const token = (await registered.json()).accessToken as string;
  const headers = { authorization: `Bearer ${token}` };
  // 1080p with noise keeps the ultrafast ladder busy for about as long as the clip lasts; a low bitrate keeps the
  // file under the multipart threshold (one PUT).
  const clip = makeClip('e2e-third-party', { seconds: 45, size: '1920x1080', bitrate: '500k' });
  let videoId: string;
  try {
    const bytes = fs.readFileSync(clip);
    const created = await request.post('/api/v1/uploads', { headers, data: { fileName: 'third.mp4', size: bytes.length, contentType: 'video/mp4', title: 'Third-party players' } });
    expect(created.status()).toBe(201);
    const upload = await created.json();
    expect(upload.mode).toBe('single');
    expect((await request.put(upload.url, { data: bytes, headers: { 'content-type': 'video/mp4' } })).ok()).toBe(true);
    expect((await request.post(`/api/v1/uploads/${upload.videoId}/complete`, { headers })).status()).toBe(202);
    videoId = upload.videoId;
  } finally {
    removeClip(clip);
  }

  const videoApi = `${info.apiUrl}/api/v1/videos/${videoId}`;
  const playable = await until('the video to be playable while processing', async () => {
    const v = await (await request.get(videoApi, { headers })).json();
    if (v.status === 'failed') throw new Error(`processing failed: ${v.lastError}`);
    if (v.status === 'ready') throw new Error('the video became ready before it was seen playable: the clip is too short for this machine');
    return v.status === 'processing' && v.manifestUrl ? v : null;
  }, 180_000, 200);
  const manifest = await (await request.get(playable.manifestUrl)).json();
  expect(manifest.complete).toBe(false);
  const mpdUrl = new URL(manifest.mpd, playable.manifestUrl).href;
  const hlsUrl = new URL(manifest.hls, playable.manifestUrl).href;
  const mpd = await (await request.get(mpdUrl)).text();
  expect(mpd).toContain('type="dynamic"');

  const context = await browser.newContext({ baseURL: info.apiUrl });
  let results: Outcome[];
  try {
    results = await Promise.all([
      play(context, 'shaka', mpdUrl, videoApi, token),
      play(context, 'dashjs', mpdUrl, videoApi, token),
      play(context, 'hlsjs', hlsUrl, videoApi, token),
    ]);
  } finally {
    await context.close();
  }

  const final = await (await request.get(videoApi, { headers })).json();
  expect(final.status).toBe('ready');
  const finalManifest = await (await request.get(final.manifestUrl)).json();
  (['shaka', 'dashjs', 'hlsjs'] as const).forEach((name, i) => {
    const r = results[i];
    const story = `${name}: ${JSON.stringify({ ...r, log: r.log.slice(-12) })}`;
    expect(r.errors, story).toEqual([]);
    // First frame from the beginning, not from the live edge, while the API still said processing.
    expect(r.firstFrameAt, story).not.toBeNull();
    expect(r.firstFrameAt!, story).toBeLessThan(1);
    expect(r.statusAtFirstFrame, story).toBe('processing');
    // And on through the growing indexes, into the last segment's time.
    expect(r.currentTime, story).toBeGreaterThan(finalManifest.duration - 5);
    if (name === 'hlsjs') {
      // The EVENT playlists gain #EXT-X-ENDLIST: hls.js ends.
      expect(r.ended, story).toBe(true);
      expect(r.currentTime, story).toBeGreaterThan(finalManifest.duration - 0.5);
    } else if (!r.ended) {
      // Known defect (docs/architecture.md, "Indexes of a growing version"): a DASH player that waited at the
      // published end shortly before the MPD turned static does not always end (seen: dash.js stopped 0.5 s before
      // the end, Shaka kept an infinite duration). Said here so a run shows it; the fix is an ended-live MPD.
      process.stderr.write(`[third-party] ${name} did not reach 'ended' after the switch to the static MPD: ${story}\n`);
    }
  });
});
