// Playable while processing, for real (issue 19): a 1080p clip long enough that the worker needs well over 20 s
// for its ladder. The card offers "Watch" while the API still says processing, the first frame plays while GET
// /videos/{id} says processing, and playback goes on across the switch to ready (the growing manifest turns
// complete under the player) to 'ended', with no error and no reload.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { makeClip, removeClip } from './lib/clips';
import { stackInfo } from './lib/env';
import { countMediaEvents, healthyPlayer } from './lib/player';
import { logPageErrors, readUpload, register, shot, shotOnFailure, startUpload, uniqueEmail, until } from './lib/ui';

test.describe.configure({ mode: 'serial' });

const info = stackInfo();
// The stack's worker encodes with the ultrafast preset: at 1080p with noise (which keeps x264 busy) a 60 s clip
// takes it about a minute on this 2-core machine, ladder included.
const CLIP_SECONDS = 60;

interface ApiVideo { status: string; manifestUrl: string | null; playableAt?: string | null; progress: number; lastError: string | null }

let context: BrowserContext;
let page: Page;
let clip: string;
let videoId: string;
let navigations = 0;

const apiVideo = async (): Promise<ApiVideo> => (await (await page.request.get(`/api/v1/videos/${videoId}`)).json()) as ApiVideo;

const healthy = () => healthyPlayer(page);

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  clip = makeClip('e2e-playable', { seconds: CLIP_SECONDS, size: '1920x1080', bitrate: '4M' });
  context = await browser.newContext({ baseURL: info.apiUrl });
  page = await context.newPage();
  logPageErrors(page, 'playable');
  await countMediaEvents(page);
});
test.afterEach(async ({}, testInfo) => shotOnFailure(page, testInfo));
test.afterAll(async () => {
  await context?.close();
  if (clip) removeClip(clip);
});

test('a long 1080p upload is playable while it processes, and keeps playing across the switch to ready', async () => {
  test.setTimeout(600_000);
  await register(page, uniqueEmail('playable'));
  await startUpload(page, clip);
  const upload = await until('the upload to finish', async () => {
    const s = await readUpload(page);
    if (s?.status === 'error') throw new Error(`upload failed: ${s.text}`);
    return s?.status === 'done' && s.videoId ? s : null;
  }, 120_000, 250);
  videoId = upload.videoId!;
  const completedAt = Date.now();

  const card = page.locator(`[data-testid=video-card][data-video-id="${videoId}"]`);
  await test.step('the card offers Watch while the video still processes', async () => {
    const playable = await until('the API to report the video playable', async () => {
      const v = await apiVideo();
      if (v.status === 'failed') throw new Error(`processing failed: ${v.lastError}`);
      if (v.status === 'ready') throw new Error('the video became ready without ever being playable while processing');
      return v.status === 'processing' && v.manifestUrl ? v : null;
    }, 180_000, 250);
    expect(playable.playableAt, 'playableAt is set').toBeTruthy();
    process.stderr.write(`[playable] upload complete → playable (API): ${((Date.now() - completedAt) / 1000).toFixed(1)} s\n`);
    await expect(card).toHaveAttribute('data-playable', 'true', { timeout: 10_000 });
    await expect(card.getByTestId('playable-badge')).toContainText('Playable — still processing');
    await shot(page, 'library-playable');
  });

  await test.step('the first frame plays while the API says processing', async () => {
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++;
    });
    await card.getByRole('link', { name: 'Watch' }).click();
    await page.waitForURL(`**/watch/${videoId}`);
    await page.locator('[data-testid=player] video').waitFor();
    const first = await until('the first frame', async () => {
      const p = await healthy();
      return p.currentTime > 0.2 && p.videoHeight > 0 ? p : null;
    }, 60_000, 100);
    const v = await apiVideo();
    process.stderr.write(`[playable] upload complete → first frame: ${((Date.now() - completedAt) / 1000).toFixed(1)} s (API: ${v.status} ${v.progress}%)\n`);
    expect(v.status, 'status when the first frame played').toBe('processing');
    expect(first.complete, 'the player read a growing manifest').toBe('false');
    await expect(page.getByTestId('watch-processing')).toBeVisible();
    await shot(page, 'player-playable-while-processing');
  });

  let sawWaiting = false;
  await test.step('playback goes on across the switch to ready', async () => {
    navigations = 0;
    await until('the API to say ready', async () => {
      const p = await healthy();
      sawWaiting ||= p.waitingForMore;
      const v = await apiVideo();
      if (v.status === 'failed') throw new Error(`processing failed: ${v.lastError}`);
      return v.status === 'ready';
    }, 480_000, 500);
    process.stderr.write(`[playable] upload complete → ready: ${((Date.now() - completedAt) / 1000).toFixed(1)} s\n`);
    await until('the player to read the complete manifest', async () => ((await healthy()).complete === 'true' ? true : null), 30_000);
    const before = await healthy();
    await until('playback to advance after the switch', async () => {
      const p = await healthy();
      return p.currentTime > before.currentTime + 1 || p.ended;
    }, 30_000);
  });

  await test.step('and plays to the end', async () => {
    const ended = await until('ended', async () => {
      const p = await healthy();
      sawWaiting ||= p.waitingForMore;
      return p.ended && p.endedEvents > 0 ? p : null;
    }, (CLIP_SECONDS + 60) * 1000, 500);
    expect(ended.currentTime).toBeGreaterThan(CLIP_SECONDS - 1);
    expect(ended.errors).toEqual([]);
    expect(navigations, 'no reload across the switch').toBe(0);
    await expect(page.getByTestId('player-error')).toHaveCount(0);
    process.stderr.write(`[playable] waited at the live edge during playback: ${sawWaiting ? 'yes' : 'no'}\n`);
  });
});
