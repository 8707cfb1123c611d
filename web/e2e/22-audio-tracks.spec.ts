// Every audio track (issue 22 §2): a source with an English and a French track plays in our player, whose Audio
// menu lists both, switches mid-play without a stall and remembers the choice across a reload; Shaka Player lists
// both tracks of the MPD and switches too; hls.js sees both EXT-X-MEDIA renditions of the master playlist.
// A stall is what the other specs count (a 'waiting' after the first frame, not from a seek), here only once it
// lasts long enough to be seen: STALL_MS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { repoRoot } from '../../scripts/lib/util.mjs';
import { stackInfo } from './lib/env';
import { countMediaEvents, healthyPlayer } from './lib/player';
import { HLS_JS_BASE_CONFIG, openPlayerPage } from './lib/thirdPartyPlayers';
import { logPageErrors, register, shotOnFailure, uniqueEmail, until } from './lib/ui';

test.describe.configure({ mode: 'serial' });

const info = stackInfo();
/** A wait shorter than this is a hiccup of the element's state machine, not a stall anyone sees. */
const STALL_MS = 250;

let context: BrowserContext;
let page: Page;
let videoId: string;
let manifestUrl: string;

/**
 * 20 s of 640x360 (800 kb/s: one PUT) with two tones: 440 Hz tagged eng "English", 880 Hz tagged fra "Français". Matroska, because
 * ffmpeg's MP4 muxer drops a stream's title.
 */
function twoLanguageClip(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sf-e2e-')), `two-languages-${Date.now()}.mkv`);
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=20',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=20',
    '-f', 'lavfi', '-i', 'sine=frequency=880:sample_rate=48000:duration=20',
    '-map', '0:v', '-map', '1:a', '-map', '2:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '800k', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k',
    '-metadata:s:a:0', 'language=eng', '-metadata:s:a:0', 'title=English',
    '-metadata:s:a:1', 'language=fra', '-metadata:s:a:1', 'title=Français',
    file,
  ]);
  return file;
}

/** Uploads the clip with the page's session (one presigned PUT) and waits until it is ready. */
async function uploadTwoLanguages(p: Page): Promise<{ id: string; manifestUrl: string }> {
  const file = twoLanguageClip();
  try {
    const bytes = fs.readFileSync(file);
    const headers = { 'x-csrf': '1' };
    const created = await p.request.post('/api/v1/uploads', {
      headers, data: { fileName: 'two languages.mkv', size: bytes.length, contentType: 'video/x-matroska', title: 'Two languages' },
    });
    expect(created.status()).toBe(201);
    const upload = await created.json();
    expect(upload.mode, 'a small file goes up in one PUT').toBe('single');
    expect((await p.request.put(upload.url, { data: bytes, headers: { 'content-type': 'video/x-matroska' } })).ok()).toBe(true);
    expect((await p.request.post(`/api/v1/uploads/${upload.videoId}/complete`, { headers })).status()).toBe(202);
    const video = await until('the video to be ready', async () => {
      const v = await (await p.request.get(`/api/v1/videos/${upload.videoId}`)).json();
      if (v.status === 'failed') throw new Error(`processing failed: ${v.lastError}`);
      return v.status === 'ready' ? v : null;
    }, 120_000, 250);
    return { id: upload.videoId, manifestUrl: video.manifestUrl };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

type Waits = { waits: { at: number; ms: number | null; t: number }[] };

/** Records every 'waiting' that is not a seek's, with how long it lasted (until 'playing' or time moving on). */
async function recordWaits(p: Page): Promise<void> {
  await p.addInitScript(() => {
    const w = window as unknown as { __waits: Waits };
    w.__waits = { waits: [] };
    let open: { at: number; ms: number | null; t: number; from: number } | null = null;
    const close = () => {
      if (open) open.ms = performance.now() - open.at;
      open = null;
    };
    document.addEventListener('waiting', (e) => {
      const v = e.target as HTMLVideoElement;
      if (v.seeking) return;
      open = { at: performance.now(), ms: null, t: v.currentTime, from: v.currentTime };
      w.__waits.waits.push(open);
    }, true);
    document.addEventListener('playing', close, true);
    document.addEventListener('timeupdate', (e) => {
      if (open && (e.target as HTMLVideoElement).currentTime > open.from + 0.05) close();
    }, true);
  });
}

/** Waits since `since` (performance.now of the page) that lasted STALL_MS or more, or have not ended yet. */
async function stallsSince(p: Page, since: number): Promise<string[]> {
  const waits = await p.evaluate(() => (window as unknown as { __waits: Waits }).__waits.waits);
  return waits
    .filter((w) => w.at >= since && (w.ms === null ? true : w.ms >= STALL_MS))
    .map((w) => `waiting at t=${w.t.toFixed(2)} for ${w.ms === null ? 'ever' : `${Math.round(w.ms)} ms`}`);
}

/** The playhead moves on for `seconds` of media time (sampled every 250 ms, it never goes back or stands still for long). */
async function keepsPlaying(p: Page, seconds: number): Promise<void> {
  const start = (await healthyPlayer(p)).currentTime;
  let last = start;
  let lastMoved = Date.now();
  await until(`${seconds} s more of playback from t=${start.toFixed(2)}`, async () => {
    const now = (await healthyPlayer(p)).currentTime;
    expect(now, 'the playhead went back').toBeGreaterThanOrEqual(last);
    if (now > last) lastMoved = Date.now();
    expect(Date.now() - lastMoved, `the playhead stood at ${now.toFixed(2)}`).toBeLessThan(1500);
    last = now;
    return now >= start + seconds;
  }, 30_000, 250);
}

const pageNow = (p: Page) => p.evaluate(() => performance.now());

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  context = await browser.newContext({ baseURL: info.apiUrl });
  page = await context.newPage();
  logPageErrors(page, 'audio');
  await countMediaEvents(page);
  await recordWaits(page);
});
test.afterEach(async ({}, testInfo) => shotOnFailure(page, testInfo));
test.afterAll(async () => {
  await context?.close();
});

test('our player lists both tracks, switches mid-play without a stall and remembers the choice', async () => {
  test.setTimeout(240_000);
  await register(page, uniqueEmail('audio'));
  ({ id: videoId, manifestUrl } = await uploadTwoLanguages(page));

  const audioRequests: string[] = [];
  page.on('request', (r) => {
    const m = new URL(r.url()).pathname.match(/\/(audio\/(?:\d+\/)?[^/]+)$/);
    if (m) audioRequests.push(m[1]!);
  });
  await page.goto(`/watch/${videoId}`);
  const player = page.getByTestId('player');
  const menu = page.getByTestId('audio-menu');
  await expect(menu.locator('option')).toHaveText(['English', 'Français']);
  await expect(menu).toHaveValue('audio');
  await until('playback past 2 s', async () => (await healthyPlayer(page)).currentTime > 2, 30_000);
  await expect(player).toHaveAttribute('data-audio-track', 'audio');
  expect(audioRequests.filter((u) => u.startsWith('audio/2/')), 'the French track before it was chosen').toEqual([]);

  const before = await healthyPlayer(page);
  const switchedAt = await pageNow(page);
  await menu.selectOption('Français');
  await expect(menu).toHaveValue('audio-2');
  // The French segments arrive, and from the next segment boundary on they are what plays.
  await until('the French track at the playhead', async () => (await player.getAttribute('data-audio-track')) === 'audio-2', 20_000);
  expect(audioRequests).toContain('audio/2/init.mp4');
  await keepsPlaying(page, 2);
  const after = await healthyPlayer(page);
  expect(after.currentTime).toBeGreaterThan(before.currentTime + 2);
  expect(await stallsSince(page, switchedAt)).toEqual([]);
  expect(await page.evaluate(() => localStorage.getItem('streamforge.audioLanguage'))).toBe('fra');

  await player.screenshot({ path: path.join(repoRoot, 'docs', 'screenshots', 'audio-menu.png') });

  // After a reload the French track plays from the start: the English one is never fetched.
  audioRequests.length = 0;
  await page.reload();
  await expect(menu).toHaveValue('audio-2');
  await until('playback past 1 s after the reload', async () => (await healthyPlayer(page)).currentTime > 1, 30_000);
  await expect(player).toHaveAttribute('data-audio-track', 'audio-2');
  expect(audioRequests).toContain('audio/2/init.mp4');
  expect(audioRequests.filter((u) => !u.startsWith('audio/2/'))).toEqual([]);
});

test('Shaka Player lists both audio tracks of the MPD and switches mid-play without a stall', async () => {
  const mpdUrl = new URL('manifest.mpd', manifestUrl).href;
  const shaka = await context.newPage();
  try {
    await openPlayerPage(shaka, 'shaka');
    const result = await shaka.evaluate(async ({ url, stallMs }) => {
      const w = window as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const video = document.createElement('video');
      video.muted = true;
      document.body.append(video);
      const errors: string[] = [];
      const waits: { at: number; ms: number | null; t: number }[] = [];
      let open: { at: number; ms: number | null; t: number } | null = null;
      video.addEventListener('waiting', () => {
        if (video.seeking) return;
        open = { at: performance.now(), ms: null, t: video.currentTime };
        waits.push(open);
      });
      video.addEventListener('playing', () => {
        if (open) open.ms = performance.now() - open.at;
        open = null;
      });
      const reach = (t: number, ms: number) => new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        const check = () => {
          if (video.currentTime < t) return;
          clearTimeout(timer);
          video.removeEventListener('timeupdate', check);
          resolve(true);
        };
        video.addEventListener('timeupdate', check);
      });
      w.shaka.polyfill.installAll();
      const player = new w.shaka.Player();
      await player.attach(video);
      player.addEventListener('error', (e: { detail?: { code?: number } }) => errors.push(`shaka ${e.detail?.code}`));
      await player.load(url);
      type Track = { language: string; label: string | null; active: boolean; roles: string[] };
      const tracks = (): Track[] => player.getAudioTracks();
      const listed = tracks().map((t) => ({ language: t.language, label: t.label, active: t.active, roles: t.roles }));
      await video.play();
      if (!(await reach(1.5, 20_000))) return { listed, errors, error: `no playback: t=${video.currentTime}` };
      const switchedAt = performance.now();
      const from = video.currentTime;
      const french = tracks().find((t) => !t.active)!;
      // Keep a segment's worth of buffer: what our own player keeps when it switches.
      player.selectAudioTrack(french, 4);
      const moved = await reach(from + 5, 20_000);
      const active = tracks().find((t) => t.active)?.language ?? null;
      const stalls = waits.filter((x) => x.at >= switchedAt && (x.ms === null || x.ms >= stallMs)).map((x) => `t=${x.t.toFixed(2)} ${x.ms === null ? 'open' : Math.round(x.ms)} ms`);
      return { listed, active, moved, from, to: video.currentTime, stalls, errors, error: null };
    }, { url: mpdUrl, stallMs: STALL_MS });
    expect(result.error).toBeNull();
    expect(result.errors).toEqual([]);
    // Shaka names languages by their shortest code (eng → en, fra → fr) and keeps the labels.
    expect(result.listed.map((t) => [t.language, t.label, t.active])).toEqual([['en', 'English', true], ['fr', 'Français', false]]);
    expect(result.listed[0]!.roles).toContain('main');
    expect(result.active).toBe('fr');
    expect(result.moved).toBe(true);
    expect(result.stalls).toEqual([]);
  } finally {
    await shaka.close();
  }
});

test('hls.js sees both audio renditions of the master playlist', async () => {
  const masterUrl = new URL('master.m3u8', manifestUrl).href;
  const hlsPage = await context.newPage();
  try {
    await openPlayerPage(hlsPage, 'hlsjs');
    const result = await hlsPage.evaluate(async ({ url, config }) => {
      const w = window as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const video = document.createElement('video');
      video.muted = true;
      document.body.append(video);
      const hls = new w.Hls(config);
      const parsed = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 20_000);
        hls.on(w.Hls.Events.MANIFEST_PARSED, () => { clearTimeout(timer); resolve(true); });
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      const ok = await parsed;
      type Track = { name: string; lang?: string; default: boolean; groupId: string };
      const count = hls.audioTracks.length as number;
      const tracks = (hls.audioTracks as Track[]).map((t) => ({ name: t.name, lang: t.lang ?? null, default: t.default, groupId: t.groupId }));
      hls.destroy();
      return { ok, count, tracks };
    }, { url: masterUrl, config: HLS_JS_BASE_CONFIG });
    expect(result.ok).toBe(true);
    expect(result.count).toBe(2);
    expect(result.tracks).toEqual([
      { name: 'English', lang: 'eng', default: true, groupId: 'audio' },
      { name: 'Français', lang: 'fra', default: false, groupId: 'audio' },
    ]);
  } finally {
    await hlsPage.close();
  }
});
