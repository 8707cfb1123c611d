#!/usr/bin/env node
// Web benchmarks, ratios measured in the same run (design §5):
//  1. upload throughput: a 500 MB file through the SPA's upload engine in Chromium vs curl PUTting
//     the same parts to presigned URLs (4 in parallel, like the engine), both as admin (no quota);
//  2. player: time to first frame and seek latency (median of several seeks) on a processed clip.
// Writes tests/artifacts/bench/web-bench.json and prints a summary.
//   npm run bench -w web                   real stack
//   E2E_STACK=mock npm run bench -w web    mock stack
//   BENCH_UPLOAD_MB=200                    a smaller upload
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { apiClient, CHROMIUM, CHROMIUM_ARGS, repoRoot, startStack } from '../e2e/lib/stack.mjs';

const artifacts = path.join(repoRoot, 'tests/artifacts/bench');
const UPLOAD_BYTES = Number(process.env.BENCH_UPLOAD_MB ?? 500) * 1_000_000;
const SEEKS = [0.1, 0.5, 0.8, 0.3, 0.65, 0.2, 0.9];
const log = (...a) => process.stderr.write(`[bench] ${a.join(' ')}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
fs.mkdirSync(artifacts, { recursive: true });

function makeUploadFile() {
  // Random bytes (incompressible); the worker will refuse them later, which does not matter here.
  const file = path.join(os.tmpdir(), `sf-bench-${process.pid}.mp4`);
  execFileSync('head', ['-c', String(UPLOAD_BYTES), '/dev/urandom'], { stdio: ['ignore', fs.openSync(file, 'w'), 'inherit'] });
  return file;
}

function makeClip() {
  const file = path.join(os.tmpdir(), `sf-bench-clip-${process.pid}.mp4`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '30', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '4M', '-c:a', 'aac', '-shortest', file]);
  return file;
}

/** curl baseline: same session kind, same part size, 4 parts in flight, URLs signed up front. */
async function curlUpload(client, file) {
  const size = fs.statSync(file).size;
  const created = await client.call('POST', '/api/v1/uploads', { fileName: 'curl-bench.mp4', size, contentType: 'video/mp4', title: 'curl bench' });
  const numbers = Array.from({ length: created.partCount }, (_, i) => i + 1);
  const urls = new Map();
  for (let i = 0; i < numbers.length; i += 100) {
    for (const s of await client.call('POST', `/api/v1/uploads/${created.videoId}/parts/sign`, { partNumbers: numbers.slice(i, i + 100) })) urls.set(s.partNumber, s.url);
  }
  if (created.mode === 'single' && created.url) urls.set(1, created.url);
  const partDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-bench-parts-'));
  execFileSync('split', ['-b', String(created.partSize), '-d', '-a', '5', file, path.join(partDir, 'p')]);
  const t0 = performance.now();
  const queue = [...numbers];
  const etags = new Map();
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const part = path.join(partDir, `p${String(n - 1).padStart(5, '0')}`);
      const headers = await new Promise((resolve, reject) => {
        const c = spawn('curl', ['-sS', '-D', '-', '-o', '/dev/null', '-T', part, '-H', 'Content-Type:', urls.get(n)]);
        let out = '';
        c.stdout.on('data', (d) => (out += d));
        c.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`curl part ${n} exited ${code}`))));
      });
      etags.set(n, /etag:\s*(\S+)/i.exec(headers)?.[1]);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const seconds = (performance.now() - t0) / 1000;
  fs.rmSync(partDir, { recursive: true, force: true });
  await client.call('DELETE', `/api/v1/uploads/${created.videoId}`).catch(() => undefined);
  return { seconds, mbPerSecond: size / 1e6 / seconds, parts: created.partCount, partSize: created.partSize };
}

async function browserUpload(page, file) {
  const size = fs.statSync(file).size;
  await page.goto('/');
  await page.locator('input[type=file]').setInputFiles(file);
  const t0 = performance.now();
  await page.getByRole('button', { name: 'Start upload' }).click();
  await page.locator('[data-testid=upload-item][data-status=done]').waitFor({ timeout: 30 * 60_000 });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, mbPerSecond: size / 1e6 / seconds };
}

async function playerTimings(page, videoId) {
  const t0 = performance.now();
  await page.goto(`/watch/${videoId}`);
  await page.waitForFunction(() => {
    const v = document.querySelector('[data-testid=player] video');
    return v && v.currentTime > 0 && v.readyState >= 2;
  }, null, { timeout: 60_000 });
  const firstFrameMs = performance.now() - t0;
  const seekMs = [];
  for (const fraction of SEEKS) {
    const ms = await page.evaluate(async (f) => {
      const v = document.querySelector('[data-testid=player] video');
      const start = performance.now();
      v.currentTime = v.duration * f;
      await new Promise((resolve) => {
        const check = () => (v.readyState >= 3 && !v.seeking ? resolve() : setTimeout(check, 5));
        v.addEventListener('seeked', check, { once: true });
      });
      return performance.now() - start;
    }, fraction);
    seekMs.push(Math.round(ms));
    await page.waitForTimeout(300);
  }
  return { firstFrameMs: Math.round(firstFrameMs), seekMs, seekMedianMs: median(seekMs) };
}

const stack = startStack({ logFile: path.join(artifacts, 'stack.log') });
let browser;
const files = [];
try {
  const info = await stack.ready;
  const admin = apiClient(info.apiUrl);
  await admin.call('POST', '/api/v1/auth/login', { email: info.env.Auth__AdminEmail, password: info.env.Auth__AdminPassword });

  log('preparing files');
  const big = makeUploadFile();
  const clip = makeClip();
  files.push(big, clip);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: info.apiUrl });
  const url = new URL(info.apiUrl);
  await context.addCookies(admin.cookieHeader.split('; ').map((c) => {
    const [name, ...v] = c.split('=');
    return { name, value: v.join('='), domain: url.hostname, path: name === 'sf_refresh' ? '/api/v1/auth' : '/' };
  }));
  const page = await context.newPage();

  log(`curl upload of ${UPLOAD_BYTES / 1e6} MB`);
  const curl = await curlUpload(admin, big);
  log(`browser upload of ${UPLOAD_BYTES / 1e6} MB`);
  const browserResult = await browserUpload(page, big);

  log('processing a 30 s clip for the player');
  const clipBytes = fs.readFileSync(clip);
  const created = await admin.call('POST', '/api/v1/uploads', { fileName: 'bench-clip.mp4', size: clipBytes.length, contentType: 'video/mp4', title: 'bench clip' });
  const signed = created.url ? [{ partNumber: 1, url: created.url }] : await admin.call('POST', `/api/v1/uploads/${created.videoId}/parts/sign`, { partNumbers: Array.from({ length: created.partCount }, (_, i) => i + 1) });
  for (const s of signed) {
    const body = clipBytes.subarray((s.partNumber - 1) * created.partSize, s.partNumber * created.partSize);
    const r = await fetch(s.url, { method: 'PUT', body });
    await admin.call('PUT', `/api/v1/uploads/${created.videoId}/parts/${s.partNumber}`, { etag: r.headers.get('etag'), size: body.length });
  }
  await admin.call('POST', `/api/v1/uploads/${created.videoId}/complete`);
  for (let i = 0; ; i++) {
    const v = await admin.call('GET', `/api/v1/videos/${created.videoId}`);
    if (v.status === 'ready') break;
    if (v.status === 'failed' || i > 600) throw new Error(`clip processing: ${v.status} ${v.lastError ?? ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const player = await playerTimings(page, created.videoId);

  const result = {
    at: new Date().toISOString(),
    stack: info.mock ? 'mock' : 'real',
    upload: { bytes: UPLOAD_BYTES, browser: browserResult, curl, browserToCurl: browserResult.mbPerSecond / curl.mbPerSecond },
    player,
  };
  fs.writeFileSync(path.join(artifacts, 'web-bench.json'), JSON.stringify(result, null, 2));
  process.stdout.write(`upload ${UPLOAD_BYTES / 1e6} MB: browser ${browserResult.mbPerSecond.toFixed(1)} MB/s, curl ${curl.mbPerSecond.toFixed(1)} MB/s (ratio ${result.upload.browserToCurl.toFixed(2)})\n`);
  process.stdout.write(`player: first frame ${player.firstFrameMs} ms, seek median ${player.seekMedianMs} ms (${player.seekMs.join(', ')})\n`);
} finally {
  await browser?.close().catch(() => undefined);
  await stack.stop().catch(() => undefined);
  for (const f of files) fs.rmSync(f, { force: true });
}
