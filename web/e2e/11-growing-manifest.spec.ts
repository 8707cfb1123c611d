// Our player over a manifest that grows (issue 19), made deterministic: a ready video's manifest.json is served
// through route interception, first cut to its first 2 segments per track with complete:false, then one more
// segment on each re-read, then whole with complete:true. The media segments are the real ones from the CDN.
// The player must show the first frame while incomplete, wait at the published end with the "still processing"
// note, resume by itself, and end ('ended') only after the complete manifest, without an error. A version that
// disappears mid-way (404: its processing failed) must say so in words.
import fs from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type Page, type Route } from '@playwright/test';
import { makeClip, removeClip } from './lib/clips';
import { stackInfo } from './lib/env';
import { countMediaEvents, healthyPlayer } from './lib/player';
import { logPageErrors, register, shot, shotOnFailure, uniqueEmail, until } from './lib/ui';

test.describe.configure({ mode: 'serial' });

const info = stackInfo();
const HELD_SEGMENTS = 2;

interface Seg { url: string; start: number; duration: number }
interface Rep { id?: string; segments: Seg[] }
interface ManifestJson { duration: number; video: Rep[]; audio: Rep | null; audioTracks?: Rep[]; complete?: boolean; [key: string]: unknown }

let context: BrowserContext;
let page: Page;
let videoId: string;
let manifestUrl: string;
let full: ManifestJson;

const end = (rep: Rep) => {
  const last = rep.segments[rep.segments.length - 1];
  return last ? last.start + last.duration : 0;
};

/** The manifest as the worker writes it while `n` video segments per rung are published. */
function growing(n: number): ManifestJson {
  const video = full.video.map((r) => ({ ...r, segments: r.segments.slice(0, n) }));
  const videoEnd = Math.min(...video.map(end));
  // Audio segments are a little longer than video ones: those that start before the video's end cover it.
  const cut = (r: Rep) => ({ ...r, segments: r.segments.filter((s) => s.start < videoEnd - 0.1) });
  const audio = full.audio ? cut(full.audio) : null;
  const audioTracks = full.audioTracks?.map(cut);
  const duration = Math.min(videoEnd, audio ? end(audio) : Infinity);
  return { ...full, video, audio, ...(audioTracks ? { audioTracks } : {}), duration, complete: false, expectedDuration: full.duration, segmentCount: n };
}

const fulfill = (route: Route, status: number, body: unknown) =>
  route.fulfill({
    status,
    contentType: 'application/json',
    // The CDN is another origin than the app.
    headers: { 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=1' },
    body: JSON.stringify(body),
  });

const healthy = () => healthyPlayer(page);

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  context = await browser.newContext({ baseURL: info.apiUrl });
  page = await context.newPage();
  logPageErrors(page, 'growing');
  await countMediaEvents(page);
});
test.afterEach(async ({}, testInfo) => shotOnFailure(page, testInfo));
test.afterAll(async () => {
  await context?.close();
});

test('a ready video of a new user (the media the growing manifest will list)', async () => {
  await register(page, uniqueEmail('growing'));
  // 20 s at 480p: five ~4 s segments per track and two rungs, processed in seconds.
  const clip = makeClip('e2e-growing', { seconds: 20, size: '854x480', bitrate: '1M' });
  try {
    const bytes = fs.readFileSync(clip);
    const headers = { 'x-csrf': '1' };
    const created = await page.request.post('/api/v1/uploads', { headers, data: { fileName: 'growing.mp4', size: bytes.length, contentType: 'video/mp4', title: 'Growing' } });
    expect(created.status()).toBe(201);
    const upload = await created.json();
    expect((await page.request.put(upload.url, { data: bytes, headers: { 'content-type': 'video/mp4' } })).ok()).toBe(true);
    expect((await page.request.post(`/api/v1/uploads/${upload.videoId}/complete`, { headers })).status()).toBe(202);
    videoId = upload.videoId;
    const video = await until('the video to be ready', async () => {
      const v = await (await page.request.get(`/api/v1/videos/${videoId}`)).json();
      if (v.status === 'failed') throw new Error(`processing failed: ${v.lastError}`);
      return v.status === 'ready' ? v : null;
    }, 120_000, 250);
    manifestUrl = video.manifestUrl;
  } finally {
    removeClip(clip);
  }
  full = (await (await page.request.get(manifestUrl)).json()) as ManifestJson;
  expect(full.video[0]!.segments.length, 'segments per rung').toBeGreaterThanOrEqual(HELD_SEGMENTS + 2);
});

test('the player plays a growing manifest, waits at its end, resumes, and ends once it is complete', async () => {
  test.setTimeout(180_000);
  const total = full.video[0]!.segments.length;
  const served: { segments: number; complete: boolean }[] = [];
  let released = false;
  let published = HELD_SEGMENTS;
  await page.route(manifestUrl.split('?')[0]!, (route) => {
    if (released && published < total) published++;
    const body = released && published >= total && served.some((s) => s.segments >= total) ? { ...full, complete: true } : growing(published);
    served.push({ segments: body.video[0]!.segments.length, complete: body.complete === true });
    return fulfill(route, 200, body);
  });
  const heldEnd = growing(HELD_SEGMENTS).duration;

  await test.step('the first frame plays while the manifest is incomplete', async () => {
    await page.goto(`/watch/${videoId}`);
    await page.locator('[data-testid=player] video').waitFor();
    const first = await until('playback of the growing manifest', async () => {
      const p = await healthy();
      return p.currentTime > 0.5 && p.videoHeight > 0 ? p : null;
    });
    expect(first.complete).toBe('false');
    expect(first.duration, 'MediaSource.duration is the expected length, not the published one').toBeCloseTo(full.duration, 0);
    expect(first.available, 'the seek bar shows the published part').toBeCloseTo(heldEnd, 1);
    await expect(page.getByTestId('player-available')).toBeVisible();
  });

  await test.step('at the published end it waits with the "still processing" note', async () => {
    await expect(page.getByTestId('player-processing')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('player-processing')).toContainText('Still processing — more of this video is on its way');
    await expect(page.getByTestId('player-spinner')).toHaveCount(0);
    const p = await healthy();
    expect(p.currentTime, 'stopped at the published end').toBeGreaterThan(heldEnd - 0.6);
    expect(p.currentTime).toBeLessThan(heldEnd + 0.1);
    expect(p.ended, 'a growing stream never ends').toBe(false);
    expect(p.waitingEvents, "the element said 'waiting'").toBeGreaterThan(0);
    expect(served.length, 'the manifest was re-read while held').toBeGreaterThanOrEqual(2);
    await shot(page, 'player-still-processing');
  });

  await test.step('a seek past the published end lands just before it', async () => {
    const box = (await page.getByTestId('seekbar').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.9, box.y + box.height / 2);
    const p = await until('the clamped seek', async () => {
      const x = await healthy();
      return x.currentTime < heldEnd - 0.5 ? x : null;
    }, 10_000);
    expect(p.currentTime).toBeGreaterThan(heldEnd - 1.6);
    await page.mouse.move(box.x + box.width / 2, box.y - 200);
    await expect(page.getByTestId('player-processing')).toBeVisible({ timeout: 15_000 });
  });

  await test.step('more segments arrive and playback resumes by itself', async () => {
    released = true;
    const resumed = await until('playback past the held end', async () => {
      const p = await healthy();
      return p.currentTime > heldEnd + 1 && !p.paused ? p : null;
    }, 30_000);
    expect(resumed.complete).toBe('false');
    await expect(page.getByTestId('player-processing')).toHaveCount(0);
  });

  await test.step('the complete manifest arrives mid-playback and the video plays to its end', async () => {
    await until('the complete manifest applied', async () => ((await healthy()).complete === 'true' ? true : null), 60_000);
    expect(served.filter((s) => !s.complete).length, 'growing manifests served before the complete one').toBeGreaterThan(2);
    const ended = await until('ended', async () => {
      const p = await healthy();
      return p.ended && p.endedEvents > 0 ? p : null;
    }, 60_000);
    expect(ended.currentTime, 'ended at the end of the video').toBeGreaterThan(full.duration - 0.5);
    expect(ended.endedEvents).toBe(1);
    expect(ended.errors).toEqual([]);
    await expect(page.getByTestId('player-error')).toHaveCount(0);
  });
  await page.unroute(manifestUrl.split('?')[0]!);
});

test('a growing version that disappears (its processing failed) is explained, not a broken player', async () => {
  let requests = 0;
  await page.route(manifestUrl.split('?')[0]!, (route) => {
    requests++;
    return requests === 1 ? fulfill(route, 200, growing(HELD_SEGMENTS)) : fulfill(route, 404, { message: 'NoSuchKey' });
  });
  await page.goto(`/watch/${videoId}`);
  await expect(page.getByTestId('player-error')).toContainText('its processing failed or was stopped', { timeout: 30_000 });
  expect(requests).toBeGreaterThanOrEqual(2);
  await shot(page, 'player-growing-gone');
  await page.unroute(manifestUrl.split('?')[0]!);
});
