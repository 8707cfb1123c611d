#!/usr/bin/env node
// Upload against the real peer, one Chromium, one stack, one S3 server, one file, in one run with
// alternating order: our uploader (web/src/upload, unchanged), Uppy (@uppy/core + @uppy/aws-s3,
// multipart, callbacks on our API, the same part size and requests in flight) and a raw page of parallel
// XMLHttpRequest part PUTs (the browser's ceiling). The pages are web/bench/pages/upload.{html,ts}, served
// by the API from the SPA's origin. Each leg: start → complete answered (202), the object's size
// checked through the API afterwards. Also the parts phase (first part sent → last part recorded), the
// raw page's PUTs alone, the peak JS heap (CDP Runtime.getHeapUsage every 100 ms, after a GC) and the CPU
// seconds by process group during each leg (what a gap costs: renderer = main-thread JS, network
// service, API, S3 server).
//   node web/bench/upload-peers.mjs [--no-build] [--rounds N (3)] [--upload-mb N (500)] [--concurrency N (4)]
//                                   [--quiet-wait S (20)] [--diag]
// Stack: scripts/stack.mjs --ephemeral --api --workers 0 --build-web (no worker: completed uploads are only
// enqueued, nothing chews on the random bytes while the next leg runs). Writes tests/artifacts/bench/upload-peers.json.
// Targets: ours ≥ 1.0× Uppy, ours ≥ 0.95× raw, peak heap of ours ≤ 150 MB on the 500 MB file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { apiClient, browserCookies, CHROMIUM, CHROMIUM_ARGS, median, repoRoot, sleep, startStack } from './lib.mjs';
import { cpuByGroup } from './cpu-groups.mjs';
import { buildBenchPages } from './pages/build.mjs';
import { loadavg, machineBusy, waitQuiet } from '../../scripts/lib/machine.mjs';

const { values: opt } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    'upload-mb': { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '4' },
    'quiet-wait': { type: 'string', default: '20' },
    diag: { type: 'boolean', default: false },
    legs: { type: 'string' },
  },
  strict: false,
});
if (opt['no-build']) process.env.E2E_NO_BUILD = '1';
const BYTES = Math.round(Number(opt['upload-mb']) * 1e6);
const ROUNDS = Math.max(1, Number(opt.rounds));
const CONCURRENCY = Math.max(1, Number(opt.concurrency));
const QUIET_WAIT_S = Math.max(0, Number(opt['quiet-wait']));
const TARGETS = { vsUppy: 1.0, vsRaw: 0.95, heapMB: 150 };
const LEGS = ['ours', 'uppy', 'raw'];
// Diagnostic legs (--diag): the engine with an in-memory resume store, and without upload progress
// listeners; they run in the rotation but are not part of the verdicts.
const DIAG_LEGS = ['ours-memstore', 'ours-noprogress'];
const artifacts = path.join(repoRoot, 'tests/artifacts/bench');
const log = (...a) => process.stderr.write(`[upload-peers] ${a.join(' ')}\n`);
const fixed = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const MB = (b) => b / 1e6;

const file = path.join(os.tmpdir(), `sf-bench-peers-${process.pid}.mp4`);
const stack = startStack({ logFile: path.join(artifacts, 'upload-peers-stack.log'), workers: 0 });
let browser;
let exitCode = 0;
try {
  fs.mkdirSync(artifacts, { recursive: true });
  log(`${MB(BYTES)} MB of random bytes → ${file}`);
  execFileSync('head', ['-c', String(BYTES), '/dev/urandom'], { stdio: ['ignore', fs.openSync(file, 'w'), 'inherit'] });
  const info = await stack.ready;
  await buildBenchPages();
  const admin = apiClient(info.apiUrl);
  await admin.login(info.env.Auth__AdminEmail, info.env.Auth__AdminPassword);
  // The part size the server picks for this file: Uppy cuts the file itself before it asks our API anything.
  const probe = await admin.call('POST', '/api/v1/uploads', { fileName: 'probe.mp4', size: BYTES, contentType: 'video/mp4' });
  await admin.call('DELETE', `/api/v1/uploads/${probe.videoId}`);
  if (probe.mode !== 'multipart') throw new Error(`a ${MB(BYTES)} MB file uploads in ${probe.mode} mode: use ≥ 100 MB`);
  log(`stack ${info.apiUrl}, S3 ${info.s3.endpoint}; ${probe.partCount} parts of ${probe.partSize} B, ${CONCURRENCY} in flight`);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', ...CHROMIUM_ARGS] });
  const context = await browser.newContext({ baseURL: info.apiUrl });
  await context.addCookies(browserCookies(admin, info.apiUrl));
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') log(`page console: ${m.text()}`); });
  await page.goto('/__bench/upload.html');
  await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30_000 });
  await page.locator('#file').setInputFiles(file);
  const cdp = await context.newCDPSession(page);

  const runLeg = async (leg) => {
    // The previous leg's object is still being written back to disk: without this the leg after it pays for
    // that writeback (measured: whichever leg came second in a round was ~20% slower, regardless of which).
    execFileSync('sync');
    const quiet = await waitQuiet({ maxCores: 0.3, maxWaitS: QUIET_WAIT_S, quietLog: true });
    await cdp.send('HeapProfiler.collectGarbage');
    const base = await cdp.send('Runtime.getHeapUsage');
    let peak = base.usedSize;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        try { peak = Math.max(peak, (await cdp.send('Runtime.getHeapUsage')).usedSize); } catch { /* page busy */ }
        await sleep(100);
      }
    })();
    const la = loadavg();
    const c0 = cpuByGroup();
    const m0 = machineBusy();
    const t0 = performance.now();
    let r;
    try {
      r = await page.evaluate(({ leg, partSize, concurrency }) => (leg === 'ours' ? window.bench.ours()
        : leg === 'ours-memstore' ? window.bench.ours({ memoryStore: true })
          : leg === 'ours-noprogress' ? window.bench.ours({ noProgress: true })
            : leg === 'uppy' ? window.bench.uppy(partSize, concurrency) : window.bench.raw(concurrency)), { leg, partSize: probe.partSize, concurrency: CONCURRENCY });
    } finally {
      sampling = false;
      await sampler;
    }
    const wallS = (performance.now() - t0) / 1000;
    const c1 = cpuByGroup();
    const cpu = {};
    for (const k of Object.keys(c1)) { const d = c1[k] - (c0[k] ?? 0); if (d > 0.05) cpu[k] = Math.round(d * 100) / 100; }
    const v = await admin.call('GET', `/api/v1/videos/${r.videoId}`);
    if (v.sizeBytes !== BYTES || v.status !== 'processing') throw new Error(`${leg}: the video is ${v.status} with ${v.sizeBytes} B, expected processing with ${BYTES}`);
    await admin.call('DELETE', `/api/v1/admin/videos/${r.videoId}`).catch((e) => log(`could not delete ${r.videoId}: ${e.message}`));
    const out = {
      leg, seconds: r.ms / 1000, MBps: MB(BYTES) / (r.ms / 1000), partsMBps: r.partsMs ? MB(BYTES) / (r.partsMs / 1000) : null,
      putsMBps: r.putsMs ? MB(BYTES) / (r.putsMs / 1000) : null, heapPeakMB: MB(peak), heapBaseMB: MB(base.usedSize),
      cpu, busyCores: (machineBusy() - m0) / wallS, otherCoresBefore: Math.round(quiet.otherCores * 100) / 100, loadavg: la,
    };
    log(`${leg.padEnd(4)} ${fixed(out.MBps)} MB/s (parts phase ${fixed(out.partsMBps)} MB/s${out.putsMBps ? `, PUTs alone ${fixed(out.putsMBps)} MB/s` : ''}), heap peak ${fixed(out.heapPeakMB)} MB, `
      + `cpu ${JSON.stringify(cpu)}, other cores before ${out.otherCoresBefore}, loadavg ${la}`);
    return out;
  };

  log('warm-up (not counted): one raw and one Uppy upload (the API JIT-compiles its upload endpoints on first use)');
  await runLeg('raw');
  if (!opt.legs) await runLeg('uppy');
  const rounds = [];
  // --legs a,b: a diagnostic subset (the ratios then need ours, uppy and raw among them)
  const legs = opt.legs ? opt.legs.split(',') : opt.diag ? [...LEGS, ...DIAG_LEGS] : LEGS;
  for (let round = 0; round < ROUNDS; round++) {
    const order = legs.map((_, i) => legs[(i + round) % legs.length]);
    log(`round ${round + 1}/${ROUNDS}: ${order.join(' → ')}`);
    const r = { order };
    for (const leg of order) r[leg] = await runLeg(leg);
    rounds.push(r);
  }
  const med = (leg, key) => median(rounds.map((r) => r[leg][key]).filter((x) => x !== null));
  const summary = Object.fromEntries(legs.map((leg) => [leg, {
    MBps: med(leg, 'MBps'), partsMBps: med(leg, 'partsMBps'), putsMBps: med(leg, 'putsMBps'), heapPeakMB: Math.max(...rounds.map((r) => r[leg].heapPeakMB)),
    cpu: Object.fromEntries([...new Set(rounds.flatMap((r) => Object.keys(r[leg].cpu)))].map((k) => [k, median(rounds.map((r) => r[leg].cpu[k] ?? 0))])),
  }]));
  // per-round ratios (legs of one round ran minutes apart at most), then their median
  const ratio = (a, b) => (legs.includes(a) && legs.includes(b) ? median(rounds.map((r) => r[a].MBps / r[b].MBps)) : NaN);
  const result = {
    at: new Date().toISOString(), bytes: BYTES, partSize: probe.partSize, parts: probe.partCount, concurrency: CONCURRENCY, rounds, summary,
    uppyVersion: JSON.parse(fs.readFileSync(path.join(repoRoot, 'web/node_modules/@uppy/aws-s3/package.json'), 'utf8')).version,
    oursVsUppy: ratio('ours', 'uppy'), oursVsRaw: ratio('ours', 'raw'), oursHeapPeakMB: summary.ours?.heapPeakMB ?? NaN,
    diag: Object.fromEntries(legs.filter((l) => l !== 'ours').map((l) => [`ours/${l}`, ratio('ours', l)])),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, loadavgEnd: loadavg() },
  };
  fs.writeFileSync(path.join(artifacts, 'upload-peers.json'), JSON.stringify(result, null, 2));
  const cpuLine = (leg) => Object.entries(summary[leg].cpu).map(([k, v]) => `${k} ${fixed(v, 2)}`).join(', ');
  const lines = [
    '',
    '================ upload: ours vs Uppy vs raw XHR ================',
    `${MB(BYTES)} MB random file, ${probe.partCount} parts of ${MB(probe.partSize)} MB, ${CONCURRENCY} in flight, headless Chromium, same stack/S3; `
      + `median of ${ROUNDS} rounds in rotating order (after one uncounted raw and Uppy upload); Uppy = @uppy/aws-s3 ${result.uppyVersion}`,
    ...legs.map((leg) => `${leg.padEnd(5)} ${fixed(summary[leg].MBps).padStart(6)} MB/s start → complete; parts phase ${fixed(summary[leg].partsMBps)} MB/s`
      + `${summary[leg].putsMBps ? `; PUTs alone ${fixed(summary[leg].putsMBps)} MB/s` : ''}; heap peak ${fixed(summary[leg].heapPeakMB)} MB; CPU s: ${cpuLine(leg)}`),
    `ours/Uppy ${fixed(result.oursVsUppy, 3)} (target ≥ ${TARGETS.vsUppy}) ${result.oursVsUppy >= TARGETS.vsUppy ? 'PASS' : 'FAIL'}`,
    `ours/raw  ${fixed(result.oursVsRaw, 3)} (target ≥ ${TARGETS.vsRaw}) ${result.oursVsRaw >= TARGETS.vsRaw ? 'PASS' : 'FAIL'}`,
    `per-round ratios, median: ${Object.entries(result.diag).map(([k, v]) => `${k} ${fixed(v, 3)}`).join(', ')}`,
    `ours: peak JS heap ${fixed(result.oursHeapPeakMB)} MB on ${MB(BYTES)} MB (target ≤ ${TARGETS.heapMB}) ${result.oursHeapPeakMB <= TARGETS.heapMB ? 'PASS' : 'FAIL'}`,
    `loadavg at the end ${loadavg()} (${os.cpus().length} cores)`,
    '==================================================================',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} catch (error) {
  log(`failed: ${error?.stack ?? error}`);
  exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  await stack.stop().catch(() => undefined);
  fs.rmSync(file, { force: true });
}
process.exit(exitCode);
