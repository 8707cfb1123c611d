// Playback quality end to end: the owner watches a ready video in the real app, the link is throttled below the
// lowest rendition's bitrate once playback runs (so the stall is a rebuffer, not the startup wait), the page's QoE
// beacon goes out when the page is left, and the API then reports the rebuffer for that video, the watch page's QoE
// panel shows it, and /metrics carries the playback series.
import { expect, test, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { stackInfo } from './lib/env';
import { countMediaEvents, healthyPlayer } from './lib/player';
import { logPageErrors, register, shot, shotOnFailure, signIn, uniqueEmail, until, uploadReadyClip } from './lib/ui';

test.describe.configure({ mode: 'serial' });

const info = stackInfo();
let context: BrowserContext;
let page: Page;
let videoId: string;

interface Qoe {
  views: number;
  rebuffers: number;
  rebufferSeconds: number;
  watchSeconds: number;
  medianStartupSeconds: number | null;
  renditions: { height: number; share: number }[];
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  context = await browser.newContext({ baseURL: info.apiUrl });
  page = await context.newPage();
  logPageErrors(page, 'qoe');
  await countMediaEvents(page);
});
test.afterEach(async ({}, testInfo) => shotOnFailure(page, testInfo));
test.afterAll(async () => context?.close());

async function qoe(): Promise<Qoe> {
  const response = await page.request.get(`/api/v1/videos/${videoId}/qoe?window=24h`);
  expect(response.status()).toBe(200);
  return (await response.json()) as Qoe;
}

test('a ready video of a new user', async () => {
  await register(page, uniqueEmail('qoe'));
  videoId = await uploadReadyClip(page, 'e2e-qoe', 'QoE', { seconds: 24, size: '640x360', bitrate: '1M' });
  expect((await qoe()).views).toBe(0);
});

test('a throttled link makes the player rebuffer, and the beacon tells the API', async () => {
  let cdp: CDPSession | null = null;
  await page.goto(`/watch/${videoId}`);
  await expect(page.getByTestId('player')).toHaveAttribute('data-status', 'ready');
  await until('the first frame to play', async () => (await healthyPlayer(page)).currentTime > 0.2, 30_000);
  const waitingBefore = (await healthyPlayer(page)).waitingEvents;

  // 20 KB/s is a sixth of the lowest rendition's bitrate: once the buffer ahead is played out, playback must stall.
  cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 200, downloadThroughput: 20_000, uploadThroughput: -1 });
  await until('a stall mid-play', async () => {
    const p = await healthyPlayer(page);
    return p.waitingEvents > waitingBefore && !p.paused && p.currentTime > 1;
  }, 90_000, 250);
  // Back to full speed: playback resumes, so the rebuffer also has an end.
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await until('playback to resume', async () => {
    const p = await healthyPlayer(page);
    return p.readyState >= 3 && !p.paused ? p : null;
  }, 30_000);

  // Leaving the page is a pagehide: the reporter sends the view's figures as a beacon.
  await page.goto('/');
  const reported = await until('the API to report the rebuffer', async () => {
    const q = await qoe();
    return q.views >= 1 && q.rebuffers >= 1 ? q : null;
  }, 30_000, 500);
  expect(reported.rebufferSeconds).toBeGreaterThan(0);
  expect(reported.watchSeconds).toBeGreaterThan(0);
  expect(reported.medianStartupSeconds).not.toBeNull();
  expect(reported.renditions.length).toBeGreaterThan(0);
});

test('the watch page shows the QoE panel and /metrics carries the playback series', async () => {
  await page.goto(`/watch/${videoId}`);
  const panel = page.getByTestId('qoe-panel');
  await expect(panel.getByTestId('qoe-views')).toBeVisible();
  expect(Number(await panel.getByTestId('qoe-views').getAttribute('data-value'))).toBeGreaterThanOrEqual(1);
  expect(Number(await panel.getByTestId('qoe-rebuffers').getAttribute('data-value'))).toBeGreaterThanOrEqual(1);
  await expect(panel.getByTestId('qoe-mix').locator('li').first()).toBeVisible();
  await page.getByTestId('player').locator('video').evaluate((v: HTMLVideoElement) => v.pause());
  await panel.scrollIntoViewIfNeeded();
  await shot(page, 'qoe-panel');

  // The e2e stack's API answers /metrics to loopback, which is where this test runs.
  const metrics = await (await fetch(`${info.apiUrl}/metrics`)).text();
  expect(metrics).toMatch(/streamforge_playback_views_total(\{[^}]*\})? [1-9]/);
  expect(metrics).toContain('streamforge_playback_startup_seconds_bucket');
  expect(metrics).toContain('# TYPE streamforge_playback_rebuffer_ratio gauge');
});

test('the admin dashboard shows the overview of every video and the worst ones', async ({ browser }: { browser: Browser }) => {
  const adminContext = await browser.newContext({ baseURL: info.apiUrl });
  try {
    const admin = await adminContext.newPage();
    await signIn(admin, info.env.Auth__AdminEmail!, info.env.Auth__AdminPassword!);
    await admin.getByRole('link', { name: 'Admin', exact: true }).click();
    const overview = admin.getByTestId('admin-qoe');
    await expect(overview.getByTestId('qoe-views')).toBeVisible();
    expect(Number(await overview.getByTestId('qoe-rebuffers').getAttribute('data-value'))).toBeGreaterThanOrEqual(1);
    // In a full run other specs' playbacks report too: the list holds the ten worst, not necessarily this video.
    const worst = overview.getByTestId('admin-qoe-worst');
    await expect(worst.locator('tbody tr').first()).toBeVisible();
    await expect(worst.locator('tbody tr a').first()).toHaveAttribute('href', /^\/watch\/[0-9a-f-]{36}$/);
    await overview.getByTestId('qoe-window-7d').click();
    await expect(overview.getByTestId('qoe-window-7d')).toHaveAttribute('aria-pressed', 'true');
    await expect(worst.locator('tbody tr').first()).toBeVisible();
  } finally {
    await adminContext.close();
  }
});
