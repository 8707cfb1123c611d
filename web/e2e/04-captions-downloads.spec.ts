// Captions and downloads on the watch page of a ready video: a bad caption file gets the server's readable
// reason, an SRT file added through the panel shows as a cue on the MSE player, and the download menu prepares
// a rendition's MP4 ("preparing…") and then hands the browser a file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ARTIFACTS, stackInfo } from './lib/env';
import { logPageErrors, register, shotOnFailure, uniqueEmail, until, uploadReadyClip } from './lib/ui';

test.describe.configure({ mode: 'serial' });

const info = stackInfo();
const CUE = 'Hello from the captions test';
let context: BrowserContext;
let page: Page;
let videoId: string;
let dir: string;

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  context = await browser.newContext({ baseURL: info.apiUrl, acceptDownloads: true });
  page = await context.newPage();
  logPageErrors(page, 'captions');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-e2e-captions-'));
});
test.afterEach(async ({}, testInfo) => shotOnFailure(page, testInfo));
test.afterAll(async () => {
  await context?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a ready video of a new user opens on its watch page', async () => {
  await register(page, uniqueEmail('captions'));
  videoId = await uploadReadyClip(page, 'e2e-captions', 'Captions', { seconds: 6, size: '640x360', bitrate: '1M' });
  await page.goto(`/watch/${videoId}`);
  await expect(page.getByTestId('player')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('captions-panel')).toContainText('No captions yet');
});

test('a file that is not captions is refused with the reason', async () => {
  const bad = path.join(dir, 'notes.srt');
  fs.writeFileSync(bad, 'these are my notes, not subtitles\n');
  await page.getByLabel('Caption file (WebVTT or SRT)').setInputFiles(bad);
  await page.getByRole('button', { name: 'Add captions' }).click();
  await expect(page.getByTestId('captions-error')).toContainText('neither a WebVTT file');
});

test('SRT captions added through the panel show as a cue on the player', async () => {
  const srt = path.join(dir, 'english.srt');
  fs.writeFileSync(srt, `1\r\n00:00:00,000 --> 00:00:05,500\r\n${CUE}\r\n`);
  await page.getByLabel('Caption file (WebVTT or SRT)').setInputFiles(srt);
  await page.getByLabel('Language tag').fill('en');
  await page.getByLabel('Label').fill('English');
  await page.getByRole('button', { name: 'Add captions' }).click();
  await expect(page.getByTestId('caption-track')).toHaveAttribute('data-lang', 'en');
  await expect(page.getByTestId('captions-error')).toHaveCount(0);

  await page.getByTestId('captions-menu').selectOption('en');
  const video = page.locator('[data-testid=player] video');
  // Hold the picture inside the cue so the screenshot shows it rendered.
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    v.currentTime = 1.5;
    v.pause();
  });
  const shown = await until('the cue to be active', () =>
    video.evaluate((v: HTMLVideoElement) => {
      const track = Array.from(v.textTracks).find((t) => t.mode === 'showing');
      const cues = track?.activeCues ? Array.from(track.activeCues) : [];
      return cues.map((c) => (c as VTTCue).text).join('|') || null;
    }), 20_000);
  expect(shown).toBe(CUE);
  expect(await video.evaluate((v: HTMLVideoElement) => Array.from(v.textTracks).map((t) => `${t.language}:${t.label}:${t.mode}`))).toEqual(['en:English:showing']);
  await page.getByTestId('player').screenshot({ path: path.join(ARTIFACTS, 'captions.png') });

  // manifest.json lists the track too (read from storage: the CDN may still hold the earlier copy).
  const v = await (await page.request.get(`/api/v1/videos/${videoId}`)).json();
  expect(v.captions.map((c: { lang: string }) => c.lang)).toEqual(['en']);
});

test('the download menu prepares a rendition MP4 and then downloads it', async () => {
  await page.getByRole('button', { name: 'Download ▾' }).click();
  const items = page.getByTestId('download-item');
  await expect(items.first()).toHaveAttribute('data-id', 'original');
  const rung = page.locator('[data-testid=download-item][data-id="360p"]');
  await expect(rung).toContainText('640×360');
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await rung.click();
  await expect(rung).toContainText('preparing…');
  await page.screenshot({ path: path.join(ARTIFACTS, 'download-menu.png') });
  const file = await download;
  expect(file.suggestedFilename()).toBe('captions clip-360p.mp4');
  const saved = path.join(dir, 'download.mp4');
  await file.saveAs(saved);
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', saved]).toString());
  const videoStream = probe.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
  expect([videoStream.codec_name, videoStream.width, videoStream.height]).toEqual(['h264', 640, 360]);
  await expect(rung).toHaveAttribute('data-state', 'idle');
});
