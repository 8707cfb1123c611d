// The API misbehaves between the browser and the server: a proxy on 127.0.0.1 (lib/faultProxy.ts)
// in front of the real API drops requests, answers with a gateway's HTML error page, or holds
// requests back. The user must see a readable message (never a blank page) and the app recovers.
import fs from 'node:fs';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { makeClip, removeClip, sha256, storedSource } from './lib/clips';
import { stackInfo } from './lib/env';
import { startFaultProxy, type FaultProxy } from './lib/faultProxy';
import { logPageErrors, readUpload, register, shot, shotOnFailure, startUpload, uniqueEmail } from './lib/ui';

test.describe.configure({ mode: 'serial' });

const info = stackInfo();
let proxy: FaultProxy;
let context: BrowserContext;
let page: Page;

const isVideoList = (req: { method?: string; url?: string }) => req.method === 'GET' && /^\/api\/v1\/videos(\?|$)/.test(req.url ?? '');
const listAlert = () => page.getByRole('alert').filter({ hasText: 'Could not load your videos' });

test.beforeAll(async ({ browser }) => {
  proxy = await startFaultProxy(info.apiUrl);
  context = await browser.newContext({ baseURL: proxy.url });
  page = await context.newPage();
  logPageErrors(page, 'proxy');
  await register(page, uniqueEmail('proxy'));
});
test.afterEach(async ({}, testInfo) => {
  await shotOnFailure(page, testInfo);
  proxy.setRule(() => 'pass');
});
test.afterAll(async () => {
  await context?.close();
  await proxy?.close();
});

test('dropped API requests show a readable error, and "Try again" recovers', async () => {
  proxy.setRule((req) => (isVideoList(req) ? 'drop' : 'pass'));
  const dropsBefore = proxy.counts.drop;
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your videos' })).toBeVisible();
  await expect(listAlert()).toContainText('Could not load your videos: Network error: The server could not be reached.');
  expect(proxy.counts.drop, 'requests the proxy dropped').toBeGreaterThan(dropsBefore);
  await shot(page, 'api-dropped');

  proxy.setRule(() => 'pass');
  await listAlert().getByRole('button', { name: 'Try again' }).click();
  await expect(listAlert()).toBeHidden();
  await expect(page.getByText('No videos yet')).toBeVisible();
});

test("a gateway's HTML error page reads as a message, not as a broken page", async () => {
  proxy.setRule((req) => (isVideoList(req) ? { status: 502 } : 'pass'));
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your videos' })).toBeVisible();
  await expect(listAlert()).toContainText('Could not load your videos: Server unreachable');
  await expect(page.getByText('Bad Gateway')).toHaveCount(0); // the proxy's HTML is not rendered

  proxy.setRule(() => 'pass');
  await listAlert().getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText('No videos yet')).toBeVisible();
});

test('a slow API shows a loading state, then the library', async () => {
  const delaysBefore = proxy.counts.delay;
  proxy.setRule((req) => (isVideoList(req) ? { delayMs: 3000 } : 'pass'));
  await page.reload();
  await expect(page.getByRole('status', { name: 'Loading videos' })).toBeVisible();
  await expect(page.getByText('No videos yet')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('status', { name: 'Loading videos' })).toBeHidden();
  await expect(listAlert()).toHaveCount(0);
  expect(proxy.counts.delay, 'requests the proxy held back').toBeGreaterThan(delaysBefore);
});

test('an upload rides out dropped and failing API calls', async () => {
  // ~7.5 MB: two parts of 5 MiB, each recorded with a PUT the proxy may drop.
  const clip = makeClip('e2e-proxy', { seconds: 6, size: '640x360', bitrate: '10M' });
  try {
    // Each part record is dropped twice. Chrome itself retries a request once when a reused
    // connection dies without an answer, so two drops always reach the uploader's own retry.
    const recordSeen = new Map<string, number>();
    let completeFailures = 1;
    proxy.setRule((req) => {
      const url = req.url ?? '';
      if (req.method === 'PUT' && /^\/api\/v1\/uploads\/[^/]+\/parts\/\d+$/.test(url)) {
        const seen = (recordSeen.get(url) ?? 0) + 1;
        recordSeen.set(url, seen);
        return seen <= 2 ? 'drop' : 'pass';
      }
      if (req.method === 'POST' && /^\/api\/v1\/uploads\/[^/]+\/complete$/.test(url) && completeFailures > 0) {
        completeFailures--;
        return { status: 503 };
      }
      return 'pass';
    });
    await startUpload(page, clip, 360);
    const item = page.getByTestId('upload-item').first();
    await expect(item).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect(item.getByRole('alert')).toHaveCount(0);
    expect([...recordSeen.values()], 'attempts per part record (two dropped, then through)').toEqual([3, 3]);
    expect(completeFailures, 'completions the proxy failed').toBe(0);

    const videoId = (await readUpload(page))!.videoId!;
    const stored = await storedSource(info.s3, videoId);
    expect(sha256(stored)).toBe(sha256(fs.readFileSync(clip)));
    // The server saw every part and the completion: the video goes on to be processed and ready.
    const api = context.request;
    await expect
      .poll(async () => (await (await api.get(`${info.apiUrl}/api/v1/videos/${videoId}`)).json()).status, { timeout: 60_000 })
      .toBe('ready');
    await expect(page.locator(`[data-testid=video-card][data-video-id="${videoId}"]`)).toHaveAttribute('data-status', 'ready');
  } finally {
    removeClip(clip);
  }
});
