// Small helpers over the SPA's data-testid hooks, shared by the spec files.
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { makeClip, removeClip, type ClipOptions } from './clips';
import { ARTIFACTS } from './env';

export const PASSWORD = 'e2e-password-123';
export const uniqueEmail = (tag: string) => `e2e-${tag}-${Date.now()}@example.test`;

export interface UploadItem {
  status: string | null;
  progress: number;
  partsDone: number;
  partCount: number;
  videoId: string | null;
  text: string;
}

/** The first upload row's state as the user sees it (status text and error included). */
export async function readUpload(page: Page): Promise<UploadItem | null> {
  const item = page.getByTestId('upload-item').first();
  if ((await item.count()) === 0) return null;
  return item.evaluate((el) => ({
    status: el.getAttribute('data-status'),
    progress: Number(el.getAttribute('data-progress')),
    partsDone: Number(el.getAttribute('data-parts-done')),
    partCount: Number(el.getAttribute('data-part-count')),
    videoId: el.getAttribute('data-video-id'),
    text: (el as HTMLElement).innerText,
  }));
}

/**
 * Polls `probe` until it returns a truthy value and returns that value (expect.poll returns nothing).
 * A probe may throw to fail at once (a player error, say).
 */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeout = 30_000, interval = 200): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Waits until two reads `gap` ms apart agree on `key` (what was in flight when a fault started has landed) and
 * returns the later read.
 */
export async function settled<T>(what: string, read: () => Promise<T>, key: (v: T) => unknown, gap = 1000, timeout = 10_000): Promise<T> {
  return until(`${what} to settle`, async () => {
    const a = await read();
    await new Promise((r) => setTimeout(r, gap));
    const b = await read();
    return key(a) === key(b) ? b : null;
  }, timeout, 0);
}

/**
 * The "nothing should move" window: runs `check` (which throws through expect when something moved) every `every`
 * ms for `window` ms. There is no event to wait for here: the point is that nothing happens.
 */
export async function staysPut(check: () => Promise<void>, window: number, every = 250): Promise<void> {
  const deadline = Date.now() + window;
  while (Date.now() < deadline) {
    await check();
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Loopback uploads finish in a second: throttle the browser's upload so faults land mid-way. */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond,
  });
}

export async function register(page: Page, email: string): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Your videos' })).toBeVisible();
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Your videos' })).toBeVisible();
}

/** Picks a file and presses "Start upload" (optionally lowering the max quality first: less to transcode). */
export async function startUpload(page: Page, file: string, maxQuality?: number): Promise<void> {
  await page.locator('input[type=file]').setInputFiles(file);
  if (maxQuality) await page.getByLabel(/^Max quality for /).selectOption(String(maxQuality));
  await page.getByRole('button', { name: 'Start upload' }).click();
}

export async function shot(page: Page | undefined, name: string, fullPage = false): Promise<void> {
  await page?.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
}

/** For pages a describe block shares (the `page` fixture gets this from the config's `screenshot` option). */
export async function shotOnFailure(page: Page | undefined, testInfo: TestInfo): Promise<void> {
  if (!page || page.isClosed() || testInfo.status === testInfo.expectedStatus) return;
  const file = path.join(ARTIFACTS, `failure-${testInfo.titlePath.slice(1).join('-').replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  await testInfo.attach('screenshot', { path: file, contentType: 'image/png' }).catch(() => undefined);
}

export function logPageErrors(page: Page, tag: string): void {
  page.on('pageerror', (e) => process.stderr.write(`[${tag}] page error: ${e.message}\n`));
  page.on('console', (m) => {
    // 401s are the app asking "who am I?" before sign-in: expected, not worth a line.
    if (m.type() === 'error' && !m.text().includes('status of 401')) process.stderr.write(`[${tag}] console: ${m.text()}\n`);
  });
}

/**
 * A generated clip uploaded with the page's session cookie in one presigned PUT (the uploader has its own tests), then
 * waited for until it is ready. The file is named "<title in lower case> clip.mp4". Returns the video id.
 */
export async function uploadReadyClip(page: Page, name: string, title: string, clip: ClipOptions): Promise<string> {
  const file = makeClip(name, clip);
  try {
    const bytes = fs.readFileSync(file);
    const headers = { 'x-csrf': '1' };
    const data = { fileName: `${title.toLowerCase()} clip.mp4`, size: bytes.length, contentType: 'video/mp4', title };
    const created = await page.request.post('/api/v1/uploads', { headers, data });
    expect(created.status()).toBe(201);
    const upload = await created.json();
    expect((await page.request.put(upload.url, { data: bytes, headers: { 'content-type': 'video/mp4' } })).ok()).toBe(true);
    expect((await page.request.post(`/api/v1/uploads/${upload.videoId}/complete`, { headers })).status()).toBe(202);
    await until('the video to be ready', async () => {
      const v = await (await page.request.get(`/api/v1/videos/${upload.videoId}`)).json();
      if (v.status === 'failed') throw new Error(`processing failed: ${v.lastError}`);
      return v.status === 'ready';
    }, 120_000, 250);
    return upload.videoId as string;
  } finally {
    removeClip(file);
  }
}
