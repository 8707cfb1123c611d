#!/usr/bin/env node
// Web benchmarks against the real stack (node scripts/stack.mjs --ephemeral --api --workers 1
// --build-web --stdin-lifetime), everything as the admin (no quota), measured in one run:
//
//  (a) upload: a 500 MB file of random bytes through the SPA's uploader (UI + engine, headless
//      Chromium) to the local S3 server (s3rver) versus
//        - `curl -T` of the same file to one presigned PutObject URL issued by the API (primary
//          baseline; see curlSingle() for how a single-PUT URL is obtained for 500 MB), and
//        - the engine's protocol without the browser: curl PUTting the same parts (server's default
//          part size, 10 MB → 50 parts) to presigned part URLs, 4 in parallel, recording each ETag,
//          then complete (s3rver assembles the object) — parts phase and complete timed apart.
//      One uncounted browser upload first (the API JIT-compiles its multipart paths), then
//      --rounds rounds (median). Each leg waits for an idle machine (< 0.25 busy cores) and for the
//      worker to be idle (the uploaded random bytes are cancelled and deleted at once).
//      Peak JS heap of the page during the browser upload (CDP Runtime.getHeapUsage every 100 ms).
//  (b) player on loopback with a 60 s 1080p clip (FFmpeg testsrc2 + sine, ultrafast, uploaded
//      through the API and processed by the worker): time to first frame (navigation → first
//      presented frame), seek-to-playing (median over seeks into unbuffered time), and stalls
//      (`waiting` after the first frame) while the whole clip plays at 1x.
//
// Before it starts (and before each measured leg) it waits until no other benchmark runs
// (`pgrep -f "tests/bench/"`, every 20 s, up to 15 min) and records any overlap.
// Writes tests/artifacts/bench/web-bench.json and prints a summary on stdout.
// Why the upload is slower than one curl PUT: see bench/upload-diag.mjs.
//
//   npm run bench -w web -- [--no-build] [--rounds N] [--upload-mb N] [--clip-seconds N]
//                           [--skip-upload] [--skip-player] [--no-wait]
//   E2E_STACK=mock npm run bench -w web     against web/e2e/mock-stack.mjs instead
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import {
  apiClient, browserCookies, CHROMIUM, CHROMIUM_ARGS, curlPut, median, otherBenchmarks, repoRoot, sleep, startStack, useMock,
  waitForOtherBenchmarks as waitForOthers, waitQuiet,
} from './lib.mjs';

const { values: opt } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    'upload-mb': { type: 'string', default: process.env.BENCH_UPLOAD_MB ?? '500' },
    'clip-seconds': { type: 'string', default: '60' },
    'skip-upload': { type: 'boolean', default: false },
    'skip-player': { type: 'boolean', default: false },
    'no-wait': { type: 'boolean', default: false },
  },
});
if (opt['no-build']) process.env.E2E_NO_BUILD = '1';

const artifacts = path.join(repoRoot, 'tests/artifacts/bench');
const UPLOAD_BYTES = Number(opt['upload-mb']) * 1_000_000;
const ROUNDS = Math.max(1, Number(opt.rounds));
const CLIP_SECONDS = Number(opt['clip-seconds']);
const HEAP_SAMPLE_MS = 100;
const TARGETS = { uploadRatio: 0.8, heapMB: 150, firstFrameMs: 1000, seekMs: 500, stalls: 0 };

const log = (...a) => process.stderr.write(`[bench] ${a.join(' ')}\n`);
const mb = (bytes) => bytes / 1e6;
const fixed = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
fs.mkdirSync(artifacts, { recursive: true });

// ---------------------------------------------------------------- other benchmarks

const overlaps = [];
/** Waits (20 s polls, up to 15 min) until no other benchmark runs; notes it if one still does. */
async function waitForOtherBenchmarks(leg) {
  if (opt['no-wait']) return;
  const others = await waitForOthers(log, leg);
  if (others.length) overlaps.push({ leg, at: 'start', others });
}
/** After a leg: was another benchmark running by then (its figures and ours are suspect)? */
function checkOverlap(leg) {
  const others = otherBenchmarks();
  if (others.length) {
    log(`WARNING: another benchmark started during ${leg}: ${others.join(' | ')}`);
    overlaps.push({ leg, at: 'end', others });
  }
}

// ---------------------------------------------------------------- files

function makeUploadFile() {
  // Random bytes (incompressible). The worker refuses them; the bench cancels and deletes the video.
  const file = path.join(os.tmpdir(), `sf-bench-${process.pid}.mp4`);
  execFileSync('head', ['-c', String(UPLOAD_BYTES), '/dev/urandom'], { stdio: ['ignore', fs.openSync(file, 'w'), 'inherit'] });
  return file;
}

function makeClip() {
  const file = path.join(os.tmpdir(), `sf-bench-clip-${process.pid}.mp4`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(CLIP_SECONDS), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', file]);
  return file;
}

// ---------------------------------------------------------------- upload legs

/** Cancels a processing video and deletes it, so the worker does not chew on random bytes. */
async function discardVideo(admin, videoId) {
  await admin.call('POST', `/api/v1/videos/${videoId}/cancel`).catch(() => undefined);
  await admin.call('DELETE', `/api/v1/admin/videos/${videoId}`).catch(() => undefined);
  await admin.call('DELETE', `/api/v1/uploads/${videoId}`).catch(() => undefined);
}

/**
 * `curl -T` of the whole file to ONE presigned PutObject URL from the API.
 * The API issues a single-PUT URL only below Uploads:MultipartThresholdBytes (100 MB by default),
 * and the AWS SDK presigns PUTs with `X-Amz-SignedHeaders=host` and UNSIGNED-PAYLOAD: neither the
 * size nor the body is part of the signature. So the session is created as a single upload of
 * the threshold size, and the whole 500 MB file is PUT to its URL; the object's size is checked
 * with a HEAD afterwards, then the session is aborted. Same server, same bucket, same code path
 * in s3rver as a 600 MB-threshold stack's single PUT, without a second stack.
 */
async function curlSingle(admin, file, info) {
  const size = fs.statSync(file).size;
  const created = await admin.call('POST', '/api/v1/uploads', { fileName: 'curl-single.bin', size: Math.min(size, 100_000_000), contentType: 'video/mp4', title: 'curl single bench' });
  if (created.mode !== 'single' || !created.url) throw new Error(`expected a single-PUT session, got ${created.mode}`);
  const t0 = performance.now();
  await curlPut(file, created.url);
  const seconds = (performance.now() - t0) / 1000;
  const head = await fetch(created.url.split('?')[0], { method: 'HEAD' }); // objects are readable anonymously
  const stored = Number(head.headers.get('content-length'));
  await admin.call('DELETE', `/api/v1/uploads/${created.videoId}`).catch(() => undefined);
  if (stored !== size) throw new Error(`single PUT stored ${stored} bytes, expected ${size}`);
  return { seconds, mbPerSecond: mb(size) / seconds, url: created.url.replace(/\?.*/, '?…'), storage: info.s3.endpoint };
}

/**
 * The engine's protocol without the browser: curl PUTs the parts (server's default part size) to
 * presigned part URLs, `parallel` at once, each ETag recorded with the API, then complete (s3rver
 * assembles the object). Times both phases.
 */
async function curlParts(admin, file, parallel) {
  const size = fs.statSync(file).size;
  const created = await admin.call('POST', '/api/v1/uploads', { fileName: 'curl-parts.bin', size, contentType: 'video/mp4', title: 'curl parts bench' });
  const numbers = Array.from({ length: created.partCount }, (_, i) => i + 1);
  const urls = new Map();
  if (created.mode === 'single' && created.url) urls.set(1, created.url);
  else {
    for (let i = 0; i < numbers.length; i += 100) {
      for (const s of await admin.call('POST', `/api/v1/uploads/${created.videoId}/parts/sign`, { partNumbers: numbers.slice(i, i + 100) })) urls.set(s.partNumber, s.url);
    }
  }
  const partDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-bench-parts-'));
  execFileSync('split', ['-b', String(created.partSize), '-d', '-a', '5', file, path.join(partDir, 'p')]);
  // the parts were just written: they are in the page cache like the source file
  const t0 = performance.now();
  const queue = [...numbers];
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const part = path.join(partDir, `p${String(n - 1).padStart(5, '0')}`);
      const { etag } = await curlPut(part, urls.get(n));
      if (created.mode !== 'single') await admin.call('PUT', `/api/v1/uploads/${created.videoId}/parts/${n}`, { etag, size: fs.statSync(part).size });
    }
  };
  let partsSeconds;
  let seconds;
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
    partsSeconds = (performance.now() - t0) / 1000;
    await admin.call('POST', `/api/v1/uploads/${created.videoId}/complete`);
    seconds = (performance.now() - t0) / 1000;
  } finally {
    fs.rmSync(partDir, { recursive: true, force: true });
    await discardVideo(admin, created.videoId);
  }
  return {
    seconds, mbPerSecond: mb(size) / seconds, partsSeconds, partsMBps: mb(size) / partsSeconds, completeSeconds: seconds - partsSeconds,
    parallel, parts: created.partCount, partSize: created.partSize,
  };
}

/** The SPA: pick the file, press "Start upload", wait for "done"; samples the JS heap meanwhile. */
async function browserUpload(page, cdp, admin, file) {
  const size = fs.statSync(file).size;
  await page.goto('/');
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByRole('button', { name: 'Start upload' }).waitFor();
  await page.evaluate(() => {
    // status transitions of the upload row, in page time: parts phase vs complete
    window.__uploadStatuses = [];
    new MutationObserver(() => {
      const s = document.querySelector('[data-testid=upload-item]')?.getAttribute('data-status');
      if (s && window.__uploadStatuses.at(-1)?.s !== s) window.__uploadStatuses.push({ s, t: performance.now() });
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
  await cdp.send('HeapProfiler.collectGarbage');
  const baseline = await cdp.send('Runtime.getHeapUsage');
  const heap = { peakUsed: baseline.usedSize, peakTotal: baseline.totalSize, baselineUsed: baseline.usedSize, samples: 0 };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        const h = await cdp.send('Runtime.getHeapUsage');
        heap.peakUsed = Math.max(heap.peakUsed, h.usedSize);
        heap.peakTotal = Math.max(heap.peakTotal, h.totalSize);
        heap.samples++;
      } catch {
        /* page navigating */
      }
      await sleep(HEAP_SAMPLE_MS);
    }
  })();
  const t0 = performance.now();
  await page.getByRole('button', { name: 'Start upload' }).click();
  const done = page.locator('[data-testid=upload-item][data-status=done]');
  const failed = page.locator('[data-testid=upload-item][data-status=error]');
  await Promise.race([
    done.waitFor({ timeout: 30 * 60_000 }),
    failed.waitFor({ timeout: 30 * 60_000 }).then(async () => {
      throw new Error(`browser upload failed: ${await failed.innerText()}`);
    }),
  ]);
  const seconds = (performance.now() - t0) / 1000;
  sampling = false;
  await sampler;
  const perfMemory = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
  const statuses = await page.evaluate(() => window.__uploadStatuses);
  const at = (s) => statuses.find((x) => x.s === s)?.t;
  const partsSeconds = (at('completing') - at('uploading')) / 1000;
  const completeSeconds = (at('done') - at('completing')) / 1000;
  // the engine completed the upload: the video is now processing random bytes — drop it
  const list = await admin.call('GET', '/api/v1/videos?page=1&pageSize=5&sort=created_desc');
  const video = list.items.find((v) => v.fileName === path.basename(file));
  if (video) await discardVideo(admin, video.id);
  return {
    seconds,
    mbPerSecond: mb(size) / seconds,
    partsSeconds,
    partsMBps: mb(size) / partsSeconds,
    completeSeconds,
    statuses: statuses.map((x) => `${x.s}@${Math.round(x.t - statuses[0].t)}ms`).join(' '),
    heap: { baselineMB: mb(heap.baselineUsed), peakUsedMB: mb(heap.peakUsed), peakTotalMB: mb(heap.peakTotal), samples: heap.samples, endPerformanceMemoryMB: perfMemory === null ? null : mb(perfMemory) },
  };
}

/** Waits until the worker has nothing to process (a discarded upload may have been claimed). */
async function waitWorkerIdle(admin) {
  for (let i = 0; i < 120; i++) {
    const s = await admin.call('GET', '/api/v1/admin/jobs/stats').catch(() => null);
    if (!s || (s.processing === 0 && s.scheduled === 0)) return;
    await sleep(1000);
  }
}

// ---------------------------------------------------------------- player

/** Uploads the clip through the API (presigned PUTs) and waits for the worker to finish it. */
async function processClip(admin, clip) {
  const bytes = fs.readFileSync(clip);
  const created = await admin.call('POST', '/api/v1/uploads', { fileName: 'bench-clip.mp4', size: bytes.length, contentType: 'video/mp4', title: 'bench clip', maxQuality: 1080 });
  const signed = created.url ? [{ partNumber: 1, url: created.url }] : await admin.call('POST', `/api/v1/uploads/${created.videoId}/parts/sign`, { partNumbers: Array.from({ length: created.partCount }, (_, i) => i + 1) });
  for (const s of signed) {
    const body = bytes.subarray((s.partNumber - 1) * created.partSize, s.partNumber * created.partSize);
    const r = await fetch(s.url, { method: 'PUT', body });
    if (!r.ok) throw new Error(`clip PUT: HTTP ${r.status}`);
    // recording is optional (and refused for an unsigned part number) in single mode
    if (created.mode !== 'single') await admin.call('PUT', `/api/v1/uploads/${created.videoId}/parts/${s.partNumber}`, { etag: r.headers.get('etag'), size: body.length });
  }
  await admin.call('POST', `/api/v1/uploads/${created.videoId}/complete`);
  const t0 = Date.now();
  for (;;) {
    const v = await admin.call('GET', `/api/v1/videos/${created.videoId}`);
    if (v.status === 'ready') return { video: v, processingSeconds: (Date.now() - t0) / 1000 };
    if (v.status === 'failed' || Date.now() - t0 > 20 * 60_000) throw new Error(`clip processing: ${v.status} ${v.lastError ?? ''}`);
    await sleep(500);
  }
}

/**
 * Runs in the page before the SPA: records, for the first <video>, the first presented frame
 * (requestVideoFrameCallback), the first timeupdate with currentTime > 0, and every `waiting`.
 * Times are performance.now(): milliseconds since the navigation started.
 */
function playerProbe() {
  const probe = { firstFrame: null, firstTimeupdate: null, play: null, waiting: [], ended: null, video: null };
  window.__probe = probe;
  const hook = (v) => {
    if (probe.video) return;
    probe.video = v;
    const onFrame = (now, meta) => {
      if (meta.mediaTime > 0 || v.currentTime > 0) probe.firstFrame ??= now;
      if (probe.firstFrame === null) v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
  };
  const on = (type, fn) => document.addEventListener(type, (e) => e.target instanceof HTMLVideoElement && fn(e.target), true);
  on('loadstart', hook);
  on('play', (v) => {
    hook(v);
    probe.play ??= performance.now();
  });
  on('timeupdate', (v) => {
    if (v.currentTime > 0) probe.firstTimeupdate ??= performance.now();
  });
  on('waiting', (v) => probe.waiting.push({ at: performance.now(), t: v.currentTime, seeking: v.seeking }));
  on('ended', () => (probe.ended = performance.now()));
}

async function openPlayer(page, videoId) {
  await page.goto(`/watch/${videoId}`);
  await page.waitForFunction(() => window.__probe?.firstFrame !== null && window.__probe?.firstTimeupdate !== null, null, { timeout: 60_000 });
  return page.evaluate(() => {
    const p = window.__probe;
    const v = p.video;
    return { firstFrameMs: Math.round(p.firstFrame), firstTimeupdateMs: Math.round(p.firstTimeupdate), playToFrameMs: p.play === null ? null : Math.round(p.firstFrame - p.play), height: v.videoHeight };
  });
}

/** The whole clip at 1x from the start: `waiting` events after the first frame are stalls. */
async function playThrough(page, videoId, durationSeconds) {
  const first = await openPlayer(page, videoId);
  await page.waitForFunction(() => window.__probe.ended !== null, null, { timeout: (durationSeconds + 60) * 1000, polling: 500 });
  const r = await page.evaluate(() => {
    const p = window.__probe;
    const v = p.video;
    const q = v.getVideoPlaybackQuality?.();
    return {
      stalls: p.waiting.filter((w) => w.at > p.firstFrame).map((w) => ({ atMs: Math.round(w.at), t: w.t })),
      playSeconds: (p.ended - p.firstFrame) / 1000,
      endHeight: v.videoHeight,
      droppedFrames: q?.droppedVideoFrames ?? null,
      totalFrames: q?.totalVideoFrames ?? null,
    };
  });
  return { ...first, ...r };
}

/**
 * Seeks while playing, each to a time not buffered at that moment (the target moves forward in
 * 1 s steps until it is outside `buffered`). Seek-to-playing = from setting currentTime to the
 * first frame presented at/after the target while playing (requestVideoFrameCallback).
 */
async function seeks(page, videoId, duration) {
  const first = await openPlayer(page, videoId);
  await page.waitForTimeout(1500);
  const fractions = [0.5, 0.15, 0.8, 0.35, 0.65, 0.25, 0.9, 0.05, 0.55];
  const out = [];
  for (const f of fractions) {
    const r = await page.evaluate(async ({ f, duration }) => {
      const v = window.__probe.video;
      const isBuffered = (t) => Array.from({ length: v.buffered.length }, (_, i) => [v.buffered.start(i), v.buffered.end(i)]).some(([s, e]) => t >= s && t < e);
      let target = f * duration;
      while (isBuffered(target) && target < duration - 3) target += 1;
      const unbuffered = !isBuffered(target);
      const waitingBefore = window.__probe.waiting.length;
      const start = performance.now();
      let seekedAt = null;
      v.addEventListener('seeked', () => (seekedAt = performance.now()), { once: true });
      const framed = new Promise((resolve) => {
        const onFrame = (now, meta) => {
          if (!v.seeking && !v.paused && meta.mediaTime >= target - 0.05) resolve(now);
          else v.requestVideoFrameCallback(onFrame);
        };
        v.requestVideoFrameCallback(onFrame);
      });
      v.currentTime = target;
      const frameAt = await Promise.race([framed, new Promise((r) => setTimeout(() => r(null), 15_000))]);
      return {
        target: Math.round(target * 10) / 10,
        unbuffered,
        seekedMs: seekedAt === null ? null : Math.round(seekedAt - start),
        playingMs: frameAt === null ? null : Math.round(frameAt - start),
        waitingEvents: window.__probe.waiting.length - waitingBefore,
      };
    }, { f, duration });
    out.push(r);
    await page.waitForTimeout(1000);
  }
  const measured = out.filter((s) => s.unbuffered && s.playingMs !== null).map((s) => s.playingMs);
  return { warmFirstFrameMs: first.firstFrameMs, seeks: out, seekMedianMs: median(measured), seekMaxMs: measured.length ? Math.max(...measured) : null, timedOut: out.filter((s) => s.playingMs === null).length };
}

// ---------------------------------------------------------------- main

await waitForOtherBenchmarks('stack start');
const stack = startStack({ logFile: path.join(artifacts, 'stack.log'), workers: 1 });
let browser;
const files = [];
const result = { at: new Date().toISOString(), stack: useMock ? 'mock' : 'real', machine: { cores: os.cpus().length, loadavgAtStart: os.loadavg() } };
let exitCode = 0;
try {
  const info = await stack.ready;
  const admin = apiClient(info.apiUrl);
  await admin.call('POST', '/api/v1/auth/login', { email: info.env.Auth__AdminEmail, password: info.env.Auth__AdminPassword });
  const me = await admin.call('GET', '/api/v1/me');
  log(`stack ready (${result.stack}): ${info.apiUrl}, S3 ${info.s3?.endpoint}; ${me.email} quota ${me.quotaBytes ?? 'unlimited'}`);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', ...CHROMIUM_ARGS] });
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, baseURL: info.apiUrl });
  await context.addCookies(browserCookies(admin, info.apiUrl));
  await context.addInitScript(playerProbe);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);

  if (!opt['skip-player']) {
    log(`making a ${CLIP_SECONDS} s 1080p clip and processing it`);
    const clip = makeClip();
    files.push(clip);
    const { video, processingSeconds } = await processClip(admin, clip);
    log(`clip ready after ${processingSeconds.toFixed(0)} s: ${video.renditions.map((r) => `${r.height}p`).join(', ')}`);
    await waitWorkerIdle(admin);
    await waitForOtherBenchmarks('player');
    const playerBusyBefore = await waitQuiet();
    log('player: play-through at 1x');
    const play = await playThrough(page, video.id, video.durationSeconds ?? CLIP_SECONDS);
    log('player: seeks');
    const seek = await seeks(page, video.id, video.durationSeconds ?? CLIP_SECONDS);
    checkOverlap('player');
    result.player = { busyBefore: playerBusyBefore, clip: { seconds: video.durationSeconds, width: video.width, height: video.height, renditions: video.renditions.map((r) => r.height), processingSeconds }, playThrough: play, seek };
  }

  if (!opt['skip-upload']) {
    log(`making a ${mb(UPLOAD_BYTES)} MB file`);
    const big = makeUploadFile();
    files.push(big);
    // Warm-up, not counted: the API's first multipart requests JIT-compile (seconds of CPU on 2 cores).
    log('warm-up: one browser upload (not counted)');
    await browserUpload(page, cdp, admin, big);
    await waitWorkerIdle(admin);
    const rounds = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const r = { busyBefore: {} };
      await waitForOtherBenchmarks(`upload round ${round}`);
      log(`round ${round}: curl -T single PUT`);
      r.busyBefore.curlSingle = await waitQuiet();
      r.curlSingle = await curlSingle(admin, big, info);
      log(`round ${round}: curl, engine-sized parts, 4 in parallel, recorded + complete`);
      r.busyBefore.curlParts4 = await waitQuiet();
      r.curlParts4 = await curlParts(admin, big, 4);
      await waitWorkerIdle(admin);
      log(`round ${round}: browser (SPA uploader)`);
      r.busyBefore.browser = await waitQuiet();
      r.browser = await browserUpload(page, cdp, admin, big);
      await waitWorkerIdle(admin);
      checkOverlap(`upload round ${round}`);
      log(`round ${round}: browser ${fixed(r.browser.mbPerSecond)} MB/s (parts ${fixed(r.browser.partsSeconds, 2)} s + complete ${fixed(r.browser.completeSeconds, 2)} s), curl single ${fixed(r.curlSingle.mbPerSecond)} MB/s, curl parts×4 ${fixed(r.curlParts4.mbPerSecond)} MB/s (parts ${fixed(r.curlParts4.partsSeconds, 2)} s + complete ${fixed(r.curlParts4.completeSeconds, 2)} s), heap peak ${fixed(r.browser.heap.peakUsedMB)} MB; busy before ${JSON.stringify(r.busyBefore)}`);
      rounds.push(r);
    }
    const med = (f) => median(rounds.map(f));
    result.upload = {
      bytes: UPLOAD_BYTES,
      rounds,
      browserMBps: med((r) => r.browser.mbPerSecond),
      curlSingleMBps: med((r) => r.curlSingle.mbPerSecond),
      curlParts4MBps: med((r) => r.curlParts4.mbPerSecond),
      browserPartsMBps: med((r) => r.browser.partsMBps),
      curlParts4PartsMBps: med((r) => r.curlParts4.partsMBps),
      browserCompleteSeconds: med((r) => r.browser.completeSeconds),
      curlParts4CompleteSeconds: med((r) => r.curlParts4.completeSeconds),
      peakHeapMB: Math.max(...rounds.map((r) => r.browser.heap.peakUsedMB)),
    };
    result.upload.ratioVsCurlSingle = result.upload.browserMBps / result.upload.curlSingleMBps;
    result.upload.ratioVsCurlParts4 = result.upload.browserMBps / result.upload.curlParts4MBps;
    result.upload.partsPhaseRatio = result.upload.browserPartsMBps / result.upload.curlParts4PartsMBps;
  }
  result.overlaps = overlaps;
  fs.writeFileSync(path.join(artifacts, 'web-bench.json'), JSON.stringify(result, null, 2));

  // ------------------------------------------------------------ summary
  const lines = [];
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  if (result.upload) {
    const u = result.upload;
    lines.push(`upload ${mb(UPLOAD_BYTES)} MB (median of ${ROUNDS}): browser ${fixed(u.browserMBps)} MB/s, curl -T single PUT ${fixed(u.curlSingleMBps)} MB/s, curl parts×4+complete ${fixed(u.curlParts4MBps)} MB/s`);
    lines.push(`  ratio browser/curl single ${fixed(u.ratioVsCurlSingle, 2)} (target ≥ ${TARGETS.uploadRatio}) ${verdict(u.ratioVsCurlSingle >= TARGETS.uploadRatio)}; browser/curl parts×4+complete ${fixed(u.ratioVsCurlParts4, 2)}`);
    lines.push(`  parts phase: browser ${fixed(u.browserPartsMBps)} MB/s vs curl parts×4 ${fixed(u.curlParts4PartsMBps)} MB/s (ratio ${fixed(u.partsPhaseRatio, 2)}); complete (s3rver assembles ${mb(UPLOAD_BYTES)} MB): browser ${fixed(u.browserCompleteSeconds, 2)} s, curl ${fixed(u.curlParts4CompleteSeconds, 2)} s`);
    lines.push(`  peak JS heap during the browser upload ${fixed(u.peakHeapMB)} MB (target ≤ ${TARGETS.heapMB}) ${verdict(u.peakHeapMB <= TARGETS.heapMB)}`);
  }
  if (result.player) {
    const p = result.player;
    lines.push(`player (${p.clip.seconds} s ${p.clip.width}x${p.clip.height}, played at ${p.playThrough.endHeight}p): first frame ${p.playThrough.firstFrameMs} ms from navigation (play→frame ${p.playThrough.playToFrameMs} ms; warm ${p.seek.warmFirstFrameMs} ms) (target ≤ ${TARGETS.firstFrameMs}) ${verdict(p.playThrough.firstFrameMs <= TARGETS.firstFrameMs)}`);
    lines.push(`  seek-to-playing median ${p.seek.seekMedianMs} ms, max ${p.seek.seekMaxMs} ms over ${p.seek.seeks.filter((s) => s.unbuffered).length} unbuffered seeks (${p.seek.seeks.map((s) => `${s.target}s:${s.playingMs}`).join(', ')}) (target ≤ ${TARGETS.seekMs}) ${verdict(p.seek.seekMedianMs !== null && p.seek.seekMedianMs <= TARGETS.seekMs && p.seek.timedOut === 0)}`);
    lines.push(`  stalls while playing ${fixed(p.playThrough.playSeconds)} s at 1x: ${p.playThrough.stalls.length} (target ${TARGETS.stalls}) ${verdict(p.playThrough.stalls.length === 0)}; dropped frames ${p.playThrough.droppedFrames}/${p.playThrough.totalFrames}`);
  }
  if (overlaps.length) lines.push(`WARNING: other benchmarks overlapped: ${overlaps.map((o) => o.leg).join(', ')} — figures suspect`);
  process.stdout.write(`${lines.join('\n')}\n`);
} catch (error) {
  log(`failed: ${error?.stack ?? error}`);
  exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  await stack.stop().catch(() => undefined);
  for (const f of files) fs.rmSync(f, { force: true });
}
process.exit(exitCode);
