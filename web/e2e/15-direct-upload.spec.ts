// Upload links (issue 21 §2): the owner makes a link in Settings; someone without an account opens it in a fresh
// browser, uploads a clip with the link's token, reloads mid-upload and continues from the recorded parts; the
// video lands in the owner's library under the link's title.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { makeClip, removeClip } from './lib/clips';
import { stackInfo } from './lib/env';
import { logPageErrors, register, shot, shotOnFailure, throttleUploads, uniqueEmail, until } from './lib/ui';

test.describe.configure({ mode: 'serial' });

const UPLOAD_BYTES_PER_SECOND = 3 * 1024 * 1024; // ~16 MB in ~5 s: room to reload mid-way

interface LinkUpload {
  status: string | null;
  videoId: string | null;
  partsDone: number;
  partCount: number;
}

let ownerContext: BrowserContext;
let owner: Page;
let guestContext: BrowserContext;
let guest: Page;
let clip: string;
let link: string;
let videoId: string;
const info = stackInfo();

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  // 4 parts of 5 MiB at a small size: quick to transcode.
  clip = makeClip('e2e-direct', { seconds: 8, size: '640x360', bitrate: '16M' });
  ownerContext = await browser.newContext({ baseURL: info.apiUrl });
  owner = await ownerContext.newPage();
  logPageErrors(owner, 'owner');
  // A separate context: no cookies, no storage of the owner's.
  guestContext = await browser.newContext({ baseURL: info.apiUrl });
  guest = await guestContext.newPage();
  logPageErrors(guest, 'guest');
});
test.afterEach(async ({}, testInfo) => {
  await shotOnFailure(owner, testInfo);
  await shotOnFailure(guest, testInfo);
});
test.afterAll(async () => {
  await ownerContext?.close();
  await guestContext?.close();
  if (clip) removeClip(clip);
});

const readLinkUpload = (): Promise<LinkUpload | null> =>
  guest.evaluate(() => {
    const el = document.querySelector('[data-testid=link-upload]');
    return el && {
      status: el.getAttribute('data-status'),
      videoId: el.getAttribute('data-video-id') || null,
      partsDone: Number(el.getAttribute('data-parts-done') ?? 0),
      partCount: Number(el.getAttribute('data-part-count') || 0),
    };
  });

test('the owner creates an upload link in Settings', async () => {
  await register(owner, uniqueEmail('direct'));
  await owner.goto('/settings');
  await owner.getByLabel('Title of the video (optional)').fill('Partner clip');
  await owner.getByRole('button', { name: 'Create upload link' }).click();
  const field = owner.getByTestId('new-upload-link');
  await expect(field).toHaveValue(/\/u\/du_[A-Za-z0-9_-]{43}$/);
  link = await field.inputValue();
  await expect(owner.getByTestId('upload-link-row').first()).toHaveAttribute('data-status', 'unused');
  await shot(owner, 'direct-upload-settings');
});

test('a guest without an account uploads through the link, reloads mid-way and resumes', async () => {
  let partsBeforeReload = 0;
  let partCount = 0;
  await test.step('the link page uploads the clip with the token', async () => {
    await guest.goto(link);
    await expect(guest.getByRole('heading', { name: 'Upload a video' })).toBeVisible();
    await throttleUploads(guest, UPLOAD_BYTES_PER_SECOND);
    await guest.locator('input[type=file]').setInputFiles(clip);
    const s = await until('some but not all parts recorded', async () => {
      const x = await readLinkUpload();
      return x && x.status === 'uploading' && x.partsDone >= 1 && x.partsDone < x.partCount ? x : null;
    }, 60_000, 100);
    expect(s.videoId, 'video id on the upload').toBeTruthy();
    videoId = s.videoId!;
    partsBeforeReload = s.partsDone;
    partCount = s.partCount;
    expect(partCount, 'parts of 5 MiB').toBeGreaterThanOrEqual(3);
  });

  await test.step('after a reload the page asks for the same file', async () => {
    await guest.reload();
    await expect(guest.getByTestId('link-upload')).toHaveAttribute('data-status', 'needs_file');
    await expect(guest.getByTestId('link-upload')).toHaveAttribute('data-video-id', videoId);
  });

  await test.step('choosing the file again continues from the recorded parts', async () => {
    await throttleUploads(guest, UPLOAD_BYTES_PER_SECOND);
    const partPuts = new Set<string>();
    guest.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().includes('partNumber=')) partPuts.add(new URL(r.url()).searchParams.get('partNumber')!);
    });
    await guest.locator('input[type=file]').setInputFiles(clip);
    await expect(guest.getByTestId('link-upload')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    await expect(guest.getByTestId('link-upload')).toHaveAttribute('data-video-id', videoId);
    expect(partPuts.size, `parts sent after the reload (${partsBeforeReload} of ${partCount} were recorded)`).toBeLessThanOrEqual(partCount - partsBeforeReload);
    await shot(guest, 'direct-upload-done');
  });

  await test.step('the guest has no session: the library is not theirs to see', async () => {
    const me = await guest.request.get('/api/v1/me');
    expect(me.status()).toBe(401);
  });
});

test('the video is in the owner\'s library under the link\'s title, and the link reads as used', async () => {
  await owner.goto('/');
  const card = owner.locator(`[data-testid=video-card][data-video-id="${videoId}"]`);
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card).toContainText('Partner clip');
  await owner.goto('/settings');
  await expect(owner.getByTestId('upload-link-row').first()).toHaveAttribute('data-status', 'used');
});
