// Resume without re-picking: a file picked through the File System Access API keeps its handle in
// IndexedDB, so after a reload the interrupted upload continues with one click on "Resume" from the
// recorded parts, and the stored object is byte-identical to the file. A file that changed since
// the upload started is refused and the item asks for the file again. The same holds across a
// browser restart (a persistent profile closed mid-upload and opened again).
//
// Headless Chromium cannot drive the native picker (Playwright's file-chooser interception makes
// showOpenFilePicker throw AbortError), so the test copies the clip into the origin-private file
// system and lets the page's picker return that handle: OPFS handles are real FileSystemFileHandles,
// persist in IndexedDB like picked ones, and answer queryPermission with "granted".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type BrowserContext, type Page } from '@playwright/test';
import { makeClip, removeClip, sha256, storedSource } from './lib/clips';
import { stackInfo } from './lib/env';
import { logPageErrors, readUpload, register, shot, shotOnFailure, throttleUploads, uniqueEmail, until } from './lib/ui';

const info = stackInfo();
test.use({ baseURL: info.apiUrl });
test.afterEach(async ({ page }, testInfo) => shotOnFailure(page, testInfo));

const UPLOAD_BYTES_PER_SECOND = 4 * 1024 * 1024;

/**
 * Puts `file` into the page's origin-private file system under `name` and makes the page's file
 * picker return its handle. The bytes come through a routed URL: no 30 MB argument to evaluate().
 */
async function offerThroughPicker(page: Page, file: string, name: string): Promise<number> {
  await page.route('**/__e2e/source', (route) => route.fulfill({ path: file, contentType: 'application/octet-stream' }));
  const size = await page.evaluate(async (fileName) => {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle(fileName, { create: true });
    const response = await fetch('/__e2e/source');
    await response.body!.pipeTo(await handle.createWritable());
    (window as unknown as { showOpenFilePicker: () => Promise<FileSystemFileHandle[]> }).showOpenFilePicker = async () => [
      await (await navigator.storage.getDirectory()).getFileHandle(fileName),
    ];
    return (await handle.getFile()).size;
  }, name);
  await page.unroute('**/__e2e/source');
  return size;
}

/** Picks through the "Choose video files" button (the picker, not the input) and starts the upload. */
async function pickAndStart(page: Page): Promise<void> {
  await page.locator('label.file-label').click();
  await page.getByRole('button', { name: 'Start upload' }).click();
}

/** Waits until some but not all parts are recorded, then reloads the page mid-transfer. */
async function reloadMidUpload(page: Page, minParts: number): Promise<{ videoId: string; partsDone: number; partCount: number }> {
  const s = await until('parts recorded mid-upload', async () => {
    const x = await readUpload(page);
    return x && x.status === 'uploading' && x.partsDone >= minParts && x.partsDone < x.partCount ? x : null;
  }, 120_000, 100);
  page.once('dialog', (d) => void d.accept()); // "leave page?" while uploading
  await page.reload();
  return { videoId: s.videoId!, partsDone: s.partsDone, partCount: s.partCount };
}

test('after a reload, Resume continues from the kept file handle without picking the file again', async ({ page }) => {
  logPageErrors(page, 'handle');
  // ~32 MB: 7 parts of 5 MiB at 4 MB/s leaves time to reload half-way.
  const clip = makeClip('e2e-handle', { seconds: 16, size: '1280x720', bitrate: '16M' });
  try {
    await register(page, uniqueEmail('handle'));
    const name = `handle-${Date.now()}.mp4`;
    expect(await offerThroughPicker(page, clip, name)).toBe(fs.statSync(clip).size);

    await throttleUploads(page, UPLOAD_BYTES_PER_SECOND);
    await pickAndStart(page);
    const before = await reloadMidUpload(page, 2);
    expect(before.partCount, 'a multipart upload').toBeGreaterThanOrEqual(5);

    const row = page.getByTestId('upload-item').first();
    await expect(row).toHaveAttribute('data-status', 'resumable');
    await expect(row).toHaveAttribute('data-video-id', before.videoId);
    await expect(row.getByTestId('upload-status')).toContainText('press Resume');
    // The file input was never used: nothing to pick again.
    expect(await page.locator('input[type=file]').evaluate((el) => (el as HTMLInputElement).files?.length ?? 0)).toBe(0);
    await shot(page, 'upload-resumable');

    const partPuts: number[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().includes('partNumber=')) partPuts.push(Number(new URL(r.url()).searchParams.get('partNumber')));
    });
    await throttleUploads(page, UPLOAD_BYTES_PER_SECOND);
    await row.getByRole('button', { name: 'Resume' }).click();
    await expect(row).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    expect(await row.getAttribute('data-video-id'), 'resumed into the same video').toBe(before.videoId);
    const resent = new Set(partPuts);
    expect(resent.size, `parts sent after Resume (${before.partsDone} of ${before.partCount} were recorded)`).toBeLessThanOrEqual(
      before.partCount - before.partsDone,
    );
    expect(Math.min(...resent), 'recorded parts were not sent again').toBeGreaterThan(1);

    const stored = await storedSource(info.s3, before.videoId);
    expect(stored.length).toBe(fs.statSync(clip).size);
    expect(sha256(stored), 'stored object = source file').toBe(sha256(fs.readFileSync(clip)));
  } finally {
    removeClip(clip);
  }
});

test('after a browser restart, Resume continues from the kept file handle', async ({}, testInfo) => {
  // A real profile on disk: IndexedDB, the origin-private file system and the session cookies outlive the browser.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-e2e-profile-'));
  const { launchOptions, headless, viewport } = testInfo.project.use;
  const open = () => chromium.launchPersistentContext(profile, { ...launchOptions, headless, viewport, baseURL: info.apiUrl });
  const clip = makeClip('e2e-handle-restart', { seconds: 12, size: '1280x720', bitrate: '16M' });
  let context: BrowserContext | null = null;
  try {
    context = await open();
    let page = context.pages()[0] ?? (await context.newPage());
    logPageErrors(page, 'handle-restart-1');
    await register(page, uniqueEmail('handle-restart'));
    await offerThroughPicker(page, clip, `restart-${Date.now()}.mp4`);
    await throttleUploads(page, UPLOAD_BYTES_PER_SECOND);
    await pickAndStart(page);
    const before = await until('parts recorded mid-upload', async () => {
      const x = await readUpload(page);
      return x && x.status === 'uploading' && x.partsDone >= 1 && x.partsDone < x.partCount ? x : null;
    }, 120_000, 100);
    await context.close(); // the browser quits mid-transfer
    context = null;

    context = await open();
    page = context.pages()[0] ?? (await context.newPage());
    logPageErrors(page, 'handle-restart-2');
    await page.goto('/');
    const row = page.getByTestId('upload-item').first();
    await expect(row).toHaveAttribute('data-status', 'resumable');
    await expect(row).toHaveAttribute('data-video-id', before.videoId!);
    await row.getByRole('button', { name: 'Resume' }).click();
    await expect(row).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    const stored = await storedSource(info.s3, before.videoId!);
    expect(sha256(stored), 'stored object = source file').toBe(sha256(fs.readFileSync(clip)));
  } finally {
    await context?.close();
    fs.rmSync(profile, { recursive: true, force: true });
    removeClip(clip);
  }
});

test('a file changed since the upload started is refused and the item asks for the file', async ({ page }) => {
  logPageErrors(page, 'handle-changed');
  const clip = makeClip('e2e-handle-changed', { seconds: 8, size: '1280x720', bitrate: '16M' });
  try {
    await register(page, uniqueEmail('handle-changed'));
    const name = `changed-${Date.now()}.mp4`;
    await offerThroughPicker(page, clip, name);
    await throttleUploads(page, 2 * 1024 * 1024);
    await pickAndStart(page);
    const before = await reloadMidUpload(page, 1);
    const row = page.getByTestId('upload-item').first();
    await expect(row).toHaveAttribute('data-status', 'resumable');

    // Another program appends to the file while the browser is away.
    await page.evaluate(async (fileName) => {
      const handle = await (await navigator.storage.getDirectory()).getFileHandle(fileName);
      const writable = await handle.createWritable({ keepExistingData: true });
      await writable.seek((await handle.getFile()).size);
      await writable.write(new Uint8Array(1024));
      await writable.close();
    }, name);

    const puts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().includes('partNumber=')) puts.push(r.url());
    });
    await row.getByRole('button', { name: 'Resume' }).click();
    await expect(row).toHaveAttribute('data-status', 'needs_file');
    await expect(row).toContainText('changed since the upload started (its size');
    await expect(row.getByTestId('upload-status')).toContainText('pick the same file again');
    expect(puts, 'no byte of the changed file was sent').toEqual([]);
    await shot(page, 'upload-file-changed');

    // After another reload it is no longer offered as resumable: the stale handle was dropped.
    await page.reload();
    await expect(row).toHaveAttribute('data-status', 'needs_file');
    await expect(row).toHaveAttribute('data-video-id', before.videoId);
    await row.getByRole('button', { name: 'Cancel upload' }).click();
    await expect(page.getByTestId('upload-item')).toHaveCount(0);
  } finally {
    removeClip(clip);
  }
});
