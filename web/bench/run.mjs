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
  apiClient, browserCookies, CHROMIUM, CHROMIUM_ARGS, median, otherBenchmarks, repoRoot, startStack, useMock,
  waitForOtherBenchmarks as waitForOthers, waitQuiet,
} from './lib.mjs';
import { browserUpload, curlParts, curlSingle, waitWorkerIdle } from './upload-legs.mjs';
import { playerProbe, playThrough, processClip, seeks } from './player.mjs';

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
