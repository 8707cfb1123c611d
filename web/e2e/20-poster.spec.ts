// The poster picker on the watch page of a ready video: a sprite frame clicked in the strip becomes the poster
// (a worker cuts it and publishes it under a new key), shown on the watch page and on the library card.
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ARTIFACTS, stackInfo } from './lib/env';
import { logPageErrors, register, shotOnFailure, uniqueEmail, uploadReadyClip } from './lib/ui';

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
  videoId = await uploadReadyClip(page, 'e2e-poster', 'Poster', { seconds: 9, size: '640x360', bitrate: '1M' });
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
