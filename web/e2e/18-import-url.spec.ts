// Import from a URL through the SPA: a file server on 127.0.0.1 (the e2e stack allows private import targets),
// the "Import from URL" form beside the uploader, and the library card that follows the import live — uploading,
// then ready, or failed with the reason; a refused URL is answered in the form.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { makeClip, removeClip } from './lib/clips';
import { stackInfo } from './lib/env';
import { logPageErrors, register, shotOnFailure, uniqueEmail } from './lib/ui';

test.describe.configure({ mode: 'serial' });

let context: BrowserContext;
let page: Page;
let clip: string;
let server: http.Server;
let base: string;
const info = stackInfo();

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  clip = makeClip('e2e-import', { seconds: 3, size: '640x360', bitrate: '1M' });
  const bytes = fs.readFileSync(clip);
  server = http.createServer((req, res) => {
    if (req.url === '/import-clip.mp4') {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': bytes.length });
      res.end(bytes);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('no such file');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  context = await browser.newContext({ baseURL: info.apiUrl });
  page = await context.newPage();
  logPageErrors(page, 'import');
  await register(page, uniqueEmail('import'));
});
test.afterEach(async ({}, testInfo) => shotOnFailure(page, testInfo));
test.afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (clip) removeClip(clip);
});

const form = () => page.getByTestId('import-form');
const card = (title: string) => page.getByTestId('video-card').filter({ has: page.getByRole('heading', { name: title }) });

async function importUrl(url: string, title?: string): Promise<void> {
  await form().getByLabel('Video URL (http or https)').fill(url);
  if (title) await form().getByLabel('Title (optional)').fill(title);
  await form().getByRole('button', { name: 'Import' }).click();
}

test('an import from a URL shows in the library and turns ready live', async () => {
  await importUrl(`${base}/import-clip.mp4`, 'Imported clip');
  await expect(card('Imported clip')).toBeVisible();
  await expect(card('Imported clip')).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
  await expect(card('Imported clip').getByRole('link', { name: 'Watch' })).toBeVisible();
});

test('a missing file fails with a readable reason on its card', async () => {
  await importUrl(`${base}/missing.mp4`, 'Missing clip');
  await expect(card('Missing clip')).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  await expect(card('Missing clip')).toContainText('answered 404');
});

test('a URL the server refuses is answered in the form', async () => {
  await importUrl('ftp://example.com/clip.mp4');
  await expect(form().getByRole('alert')).toContainText('Only http and https URLs are allowed');
});
