// The poster picker on the watch page of a ready video: a sprite frame clicked in the strip becomes the poster
// (a worker cuts it and publishes it under a new key), shown on the watch page and on the library card.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { makeClip, removeClip } from './lib/clips';
import { ARTIFACTS, stackInfo } from './lib/env';
import { logPageErrors, register, shotOnFailure, uniqueEmail, until } from './lib/ui';

test.describe.configure({ mode: 'serial' });

const info = stackInfo();
let context: BrowserContext;
let page: Page;
let videoId: string;

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  context = await browser.newContext({ baseURL: info.apiUrl });
  page = await context.newPage();
  logPageErrors(page, 'poster');
});
test.afterEach(async ({}, testInfo) => shotOnFailure(page, testInfo));
test.afterAll(async () => {
  await context?.close();
});

test('a ready video of a new user shows its poster and the sprite strip', async () => {
  await register(page, uniqueEmail('poster'));
  const clip = makeClip('e2e-poster', { seconds: 9, size: '640x360', bitrate: '1M' });
  try {
    const bytes = fs.readFileSync(clip);
    const headers = { 'x-csrf': '1' };
    const created = await page.request.post('/api/v1/uploads', { headers, data: { fileName: 'poster clip.mp4', size: bytes.length, contentType: 'video/mp4', title: 'Poster' } });
    expect(created.status()).toBe(201);
    const upload = await created.json();
    expect((await page.request.put(upload.url, { data: bytes, headers: { 'content-type': 'video/mp4' } })).ok()).toBe(true);
    expect((await page.request.post(`/api/v1/uploads/${upload.videoId}/complete`, { headers })).status()).toBe(202);
    videoId = upload.videoId;
    await until('the video to be ready', async () => {
      const v = await (await page.request.get(`/api/v1/videos/${videoId}`)).json();
      if (v.status === 'failed') throw new Error(`processing failed: ${v.lastError}`);
      return v.status === 'ready';
    }, 120_000, 250);
  } finally {
    removeClip(clip);
  }
  await page.goto(`/watch/${videoId}`);
  await expect(page.getByTestId('poster-current')).toHaveAttribute('src', /\/poster\.jpg$/);
  await expect(page.getByTestId('poster-tile')).toHaveCount(3);
});

test('a sprite frame clicked in the strip becomes the poster on the watch page and the card', async () => {
  await page.getByTestId('poster-tile').nth(1).click();
  await expect(page.getByTestId('poster-current')).toHaveAttribute('src', new RegExp(`/media/${videoId}/v1/poster-1\\.jpg$`), { timeout: 60_000 });
  await expect(page.getByTestId('poster-error')).toHaveCount(0);
  // The new key decodes in the browser as the 640-wide poster.
  await expect.poll(() => page.getByTestId('poster-current').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);

  await page.getByTestId('poster-picker').screenshot({ path: path.join(ARTIFACTS, 'poster-picker.png') });

  await page.goto('/');
  await expect(page.locator(`a[href="/watch/${videoId}"] img`).first()).toHaveAttribute('src', /\/poster-1\.jpg$/);
});
