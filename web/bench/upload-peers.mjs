#!/usr/bin/env node
// Upload against the real peers, one Chromium, one stack, one S3 server, one file, in one run with
// alternating order (web/bench/pages/upload.{html,ts}, served by the API from the SPA's origin):
//  - ours-N:       our uploader (web/src/upload, unchanged) with its concurrency option at N (--concurrency 4,6;
//                  the app ships 4, the first value is taken as the shipped one);
//  - uppy-default: @uppy/core + @uppy/aws-s3 5.x at its defaults: limit 6 (signing requests and PUTs share it),
//                  one signPart request per part; only the part size is set (the API's);
//  - uppy-tuned:   the same with signPart answered from URLs signed in batches ahead of use (Uppy's client-side
//                  signing, getTemporarySecurityCredentials, signs only for *.amazonaws.com hosts and needs the S3
//                  upload id our API keeps), limit --uppy-tuned-limit (6);
//  - raw-N:        parallel XMLHttpRequest part PUTs, every URL signed up front (--raw-concurrency 4,6,8);
//  - node-N:       @aws-sdk/lib-storage Upload from Node straight to the S3 server, same part size, N in flight
//                  (the N of ours), the file already in memory: the transport's ceiling without a browser or our API.
// Every leg is warmed up once (uncounted), then --rounds (5) rounds each run every leg, in an order rotated
// per round; ratios are paired per round, reported as median and min–max. Each browser leg: start → complete
// answered (202), the object's size checked through the API afterwards; the page counts the PUTs in flight,
// so each leg shows the limit it really kept. Also the parts phase, the raw page's PUTs alone, the peak JS
// heap (CDP Runtime.getHeapUsage every 100 ms, after a GC) and the CPU seconds by process group per leg.
// The load is sampled for the whole bench (scripts/lib/bench-load.mjs): a busy machine makes the run "noisy".
//   node web/bench/upload-peers.mjs [--no-build] [--rounds N (5)] [--upload-mb N (500)] [--concurrency 4,6]
//        [--raw-concurrency 4,6,8] [--uppy-tuned-limit 6] [--quiet-wait S (20)] [--legs id,id] [--diag]
// Stack: scripts/stack.mjs --ephemeral --api --workers 0 --build-web (no worker: completed uploads are only
// enqueued, nothing chews on the random bytes while the next leg runs). Writes tests/artifacts/bench/upload-peers.json
// (every leg of every round). Targets (bench-table.mjs): the shipped ours ≥ 1.05 × Uppy at its best configuration
// and ≥ 0.95 × the best raw page (paired medians), PUTs in flight = each leg's limit, heap of ours ≤ 150 MB.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { apiClient, benchOptions, browserCookies, CHROMIUM, CHROMIUM_ARGS, median, repoRoot, runWebBench, sleep } from './lib.mjs';
import { cpuByGroup } from './cpu-groups.mjs';
import { buildBenchPages } from './pages/build.mjs';
import { loadavg, machineBusy, waitQuiet } from '../../scripts/lib/machine.mjs';
import { s3Client } from '../../scripts/lib/s3-client.mjs';
import { loadLine } from '../../scripts/lib/bench-load.mjs';

const opt = benchOptions({
  rounds: { type: 'string', default: '5' },
  'upload-mb': { type: 'string', default: '500' },
  concurrency: { type: 'string', default: '4,6' },
  'raw-concurrency': { type: 'string', default: '4,6,8' },
  'uppy-tuned-limit': { type: 'string', default: '6' },
  'quiet-wait': { type: 'string', default: '20' },
  diag: { type: 'boolean', default: false },
  legs: { type: 'string' },
});
const list = (v) => String(v).split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const BYTES = Math.round(Number(opt['upload-mb']) * 1e6);
const ROUNDS = Math.max(1, Number(opt.rounds));
const OURS = list(opt.concurrency);
const RAW = list(opt['raw-concurrency']);
const UPPY_TUNED_LIMIT = Math.max(1, Number(opt['uppy-tuned-limit']));
const QUIET_WAIT_S = Math.max(0, Number(opt['quiet-wait']));
if (!OURS.length || !RAW.length) throw new Error('--concurrency and --raw-concurrency take comma-separated counts, e.g. 4,6');
const UPPY_DEFAULT_LIMIT = 6; // @uppy/aws-s3 5.x defaultOptions.limit; the page reads the plugin's own value and the bench checks it
/** Every leg: id → { kind, concurrency, label }. */
const LEGS = {
  ...Object.fromEntries(OURS.map((c) => [`ours-${c}`, { kind: 'ours', concurrency: c, label: `ours, ${c} in flight` }])),
  'uppy-default': { kind: 'uppy', concurrency: UPPY_DEFAULT_LIMIT, label: `Uppy defaults (limit ${UPPY_DEFAULT_LIMIT}, one sign request per part)` },
  'uppy-tuned': { kind: 'uppy', concurrency: UPPY_TUNED_LIMIT, label: `Uppy tuned (limit ${UPPY_TUNED_LIMIT}, parts signed in batches ahead)` },
  ...Object.fromEntries(RAW.map((c) => [`raw-${c}`, { kind: 'raw', concurrency: c, label: `raw XHR, ${c} in flight` }])),
  ...Object.fromEntries(OURS.map((c) => [`node-${c}`, { kind: 'node', concurrency: c, label: `lib-storage from Node, ${c} in flight` }])),
};
// Diagnostic legs (--diag): the shipped engine with an in-memory resume store, and without upload progress
// listeners; they run in the rotation but are not part of the verdicts.
const DIAG_LEGS = {
  'ours-memstore': { kind: 'diag', concurrency: OURS[0], label: 'ours, in-memory resume store' },
  'ours-noprogress': { kind: 'diag', concurrency: OURS[0], label: 'ours, no progress listeners' },
};
const SHIPPED = `ours-${OURS[0]}`;
const log = (...a) => process.stderr.write(`[upload-peers] ${a.join(' ')}\n`);
const fixed = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const MB = (b) => b / 1e6;
const spreadOf = (v) => (v.length ? { median: median(v), min: Math.min(...v), max: Math.max(...v) } : null);

const file = path.join(os.tmpdir(), `sf-bench-peers-${process.pid}.mp4`);
await runWebBench({ name: 'upload-peers', stack: { workers: 0 }, sampleLoad: true }, async ({ ready, stopLoad, cleanup, write }) => {
  cleanup(() => fs.rmSync(file, { force: true }));
  log(`${MB(BYTES)} MB of random bytes → ${file}`);
  execFileSync('head', ['-c', String(BYTES), '/dev/urandom'], { stdio: ['ignore', fs.openSync(file, 'w'), 'inherit'] });
  const info = await ready;
  await buildBenchPages();
  const admin = apiClient(info.apiUrl);
  await admin.login(info.env.Auth__AdminEmail, info.env.Auth__AdminPassword);
  // The part size the server picks for this file: Uppy and lib-storage cut the file themselves.
  const probe = await admin.call('POST', '/api/v1/uploads', { fileName: 'probe.mp4', size: BYTES, contentType: 'video/mp4' });
  await admin.call('DELETE', `/api/v1/uploads/${probe.videoId}`);
  if (probe.mode !== 'multipart') throw new Error(`a ${MB(BYTES)} MB file uploads in ${probe.mode} mode: use ≥ 100 MB`);
  log(`stack ${info.apiUrl}, S3 ${info.s3.endpoint}; ${probe.partCount} parts of ${probe.partSize} B`);
  const s3 = s3Client(info.s3);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', ...CHROMIUM_ARGS] });
  cleanup(() => browser.close());
  const context = await browser.newContext({ baseURL: info.apiUrl });
  await context.addCookies(browserCookies(admin, info.apiUrl));
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') log(`page console: ${m.text()}`); });
  await page.goto('/__bench/upload.html');
  await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30_000 });
  await page.locator('#file').setInputFiles(file);
  const cdp = await context.newCDPSession(page);
  const legs = { ...LEGS, ...(opt.diag ? DIAG_LEGS : {}) };

  /**
   * The Node ceiling: lib-storage's Upload of the file straight to the S3 server (admin keys), then the object
   * removed. The body is the file already in memory, read before the clock starts: given a read stream instead,
   * lib-storage copies it into part buffers at ~1 CPU s per 200 MB (measured here), which would make this
   * "ceiling" slower than the browser on 2 cores.
   */
  const nodeLeg = async (concurrency) => {
    const Key = `bench/node-ceiling-${process.pid}-${Date.now()}`;
    const Body = fs.readFileSync(file);
    const t0 = performance.now();
    const upload = new Upload({ client: s3, params: { Bucket: info.s3.bucket, Key, Body }, queueSize: concurrency, partSize: probe.partSize, leavePartsOnError: false });
    await upload.done();
    const ms = performance.now() - t0;
    const head = await s3.send(new HeadObjectCommand({ Bucket: info.s3.bucket, Key }));
    await s3.send(new DeleteObjectCommand({ Bucket: info.s3.bucket, Key }));
    if (head.ContentLength !== BYTES) throw new Error(`node-${concurrency}: the object has ${head.ContentLength} B, expected ${BYTES}`);
    return { ms, partsMs: null, videoId: null, maxInFlight: null };
  };

  const browserLeg = (id) => {
    const { kind, concurrency } = legs[id];
    const args = { id, kind, concurrency, partSize: probe.partSize, tunedLimit: UPPY_TUNED_LIMIT };
    return page.evaluate(({ id, kind, concurrency, partSize, tunedLimit }) => (
      kind === 'ours' ? window.bench.ours(concurrency)
        : id === 'ours-memstore' ? window.bench.ours(concurrency, { memoryStore: true })
          : id === 'ours-noprogress' ? window.bench.ours(concurrency, { noProgress: true })
            : id === 'uppy-default' ? window.bench.uppy(partSize, {})
              : id === 'uppy-tuned' ? window.bench.uppy(partSize, { limit: tunedLimit, batchSign: true })
                : window.bench.raw(concurrency)), args);
  };

  const runLeg = async (id) => {
    // The previous leg's object is still being written back to disk: without this the leg after it pays for
    // that writeback (measured: whichever leg came second in a round was ~20% slower, regardless of which).
    execFileSync('sync');
    const quiet = await waitQuiet({ maxCores: 0.3, maxWaitS: QUIET_WAIT_S, quietLog: true });
    await cdp.send('HeapProfiler.collectGarbage');
    const base = await cdp.send('Runtime.getHeapUsage');
    let peak = base.usedSize;
    let sampling = true;
    const heapSampler = (async () => {
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
      r = legs[id].kind === 'node' ? await nodeLeg(legs[id].concurrency) : await browserLeg(id);
    } catch (error) {
      log(`${id} FAILED: ${String(error?.message ?? error).split('\n')[0]}`);
      return { leg: id, error: String(error?.message ?? error).split('\n')[0].slice(0, 300), loadavg: la };
    } finally {
      sampling = false;
      await heapSampler;
    }
    const wallS = (performance.now() - t0) / 1000;
    const c1 = cpuByGroup();
    const cpu = {};
    for (const k of Object.keys(c1)) { const d = c1[k] - (c0[k] ?? 0); if (d > 0.05) cpu[k] = Math.round(d * 100) / 100; }
    if (r.videoId) {
      const v = await admin.call('GET', `/api/v1/videos/${r.videoId}`);
      await admin.call('DELETE', `/api/v1/admin/videos/${r.videoId}`).catch((e) => log(`could not delete ${r.videoId}: ${e.message}`));
      if (v.sizeBytes !== BYTES || v.status !== 'processing') return { leg: id, error: `the video is ${v.status} with ${v.sizeBytes} B, expected processing with ${BYTES}`, loadavg: la };
    }
    if (legs[id].kind === 'uppy' && r.limit !== legs[id].concurrency) return { leg: id, error: `Uppy ran with limit ${r.limit}, the bench says ${legs[id].concurrency}`, loadavg: la };
    const node = legs[id].kind === 'node';
    const out = {
      leg: id, seconds: r.ms / 1000, MBps: MB(BYTES) / (r.ms / 1000), partsMBps: r.partsMs ? MB(BYTES) / (r.partsMs / 1000) : null,
      putsMBps: r.putsMs ? MB(BYTES) / (r.putsMs / 1000) : null, maxInFlight: r.maxInFlight ?? null,
      heapPeakMB: node ? null : MB(peak), heapBaseMB: node ? null : MB(base.usedSize),
      cpu, busyCores: (machineBusy() - m0) / wallS, otherCoresBefore: Math.round(quiet.otherCores * 100) / 100, loadavg: la,
    };
    log(`${id.padEnd(13)} ${fixed(out.MBps)} MB/s${out.partsMBps ? ` (parts phase ${fixed(out.partsMBps)} MB/s)` : ''}${out.putsMBps ? `, PUTs alone ${fixed(out.putsMBps)} MB/s` : ''}`
      + `${out.maxInFlight !== null ? `, ≤ ${out.maxInFlight} PUTs in flight` : ''}${out.heapPeakMB !== null ? `, heap peak ${fixed(out.heapPeakMB)} MB` : ''}, `
      + `cpu ${JSON.stringify(cpu)}, other cores before ${out.otherCoresBefore}, loadavg ${la}`);
    return out;
  };

  // --legs a,b: a diagnostic subset
  const ids = opt.legs ? opt.legs.split(',').filter((id) => legs[id]) : Object.keys(legs);
  log(`warm-up (not counted): every leg once, ${ids.join(', ')} (the API JIT-compiles its upload endpoints, the page its code paths)`);
  const warmup = [];
  for (const id of ids) warmup.push(await runLeg(id));
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = ids.map((_, i) => ids[(i + round) % ids.length]);
    log(`round ${round + 1}/${ROUNDS}: ${order.join(' → ')}`);
    const r = { order, results: {} };
    for (const id of order) r.results[id] = await runLeg(id);
    rounds.push(r);
  }

  const ok = (r, id) => r.results[id] && !r.results[id].error;
  const values = (id, key) => rounds.filter((r) => ok(r, id)).map((r) => r.results[id][key]).filter((x) => x !== null && x !== undefined);
  const summary = Object.fromEntries(ids.map((id) => {
    const n = rounds.filter((r) => ok(r, id)).length;
    const cpuKeys = [...new Set(rounds.filter((r) => ok(r, id)).flatMap((r) => Object.keys(r.results[id].cpu)))];
    return [id, {
      n, MBps: spreadOf(values(id, 'MBps')), partsMBps: median(values(id, 'partsMBps')), putsMBps: median(values(id, 'putsMBps')),
      maxInFlight: values(id, 'maxInFlight').length ? Math.max(...values(id, 'maxInFlight')) : null,
      heapPeakMB: values(id, 'heapPeakMB').length ? Math.max(...values(id, 'heapPeakMB')) : null,
      cpu: Object.fromEntries(cpuKeys.map((k) => [k, median(rounds.filter((r) => ok(r, id)).map((r) => r.results[id].cpu[k] ?? 0))])),
      failures: [...warmup, ...rounds.map((r) => r.results[id])].filter((x) => x?.leg === id && x.error).map((x) => x.error),
    }];
  }));
  const bestOf = (kind) => ids.filter((id) => legs[id].kind === kind && summary[id].n)
    .sort((a, b) => summary[b].MBps.median - summary[a].MBps.median)[0] ?? null;
  const best = { uppy: bestOf('uppy'), raw: bestOf('raw'), node: bestOf('node') };
  // per-round ratios (the legs of one round ran minutes apart at most), then their median and range
  const pairedRatio = (a, b) => {
    if (!a || !b) return null;
    const v = rounds.filter((r) => ok(r, a) && ok(r, b)).map((r) => r.results[a].MBps / r.results[b].MBps);
    return v.length ? { ...spreadOf(v), n: v.length } : null;
  };
  const paired = {};
  for (const id of ids.filter((x) => legs[x].kind === 'ours' || legs[x].kind === 'diag')) {
    paired[`${id}/uppy-best`] = pairedRatio(id, best.uppy);
    paired[`${id}/raw-best`] = pairedRatio(id, best.raw);
    for (const other of ids.filter((x) => x !== id && legs[x].kind !== 'diag')) paired[`${id}/${other}`] = pairedRatio(id, other);
  }
  const load = stopLoad();
  const result = {
    at: new Date().toISOString(), bytes: BYTES, partSize: probe.partSize, parts: probe.partCount, rounds: ROUNDS, shipped: SHIPPED,
    uppyVersion: JSON.parse(fs.readFileSync(path.join(repoRoot, 'web/node_modules/@uppy/aws-s3/package.json'), 'utf8')).version,
    libStorageVersion: JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/@aws-sdk/lib-storage/package.json'), 'utf8')).version,
    legs: Object.fromEntries(ids.map((id) => [id, legs[id]])), summary, best, paired, warmup, roundsData: rounds, load,
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, loadavgEnd: loadavg() },
  };
  write(result);
  const sp = (v, d = 1) => (v ? `${fixed(v.median, d)} (${fixed(v.min, d)}–${fixed(v.max, d)})` : 'n/a');
  const cpuLine = (id) => Object.entries(summary[id].cpu).map(([k, v]) => `${k} ${fixed(v, 2)}`).join(', ');
  const lines = [
    '',
    '================ upload: ours vs Uppy vs raw XHR vs lib-storage (Node) ================',
    `${MB(BYTES)} MB random file, ${probe.partCount} parts of ${MB(probe.partSize)} MB, headless Chromium, same stack/S3; every leg warmed up, then `
      + `${ROUNDS} rounds in rotating order; median (min–max); Uppy = @uppy/aws-s3 ${result.uppyVersion}, lib-storage ${result.libStorageVersion}`,
    ...ids.map((id) => `${id.padEnd(15)} ${sp(summary[id].MBps).padStart(22)} MB/s (n ${summary[id].n}); parts phase ${fixed(summary[id].partsMBps)} MB/s`
      + `${summary[id].putsMBps ? `; PUTs alone ${fixed(summary[id].putsMBps)}` : ''}${summary[id].maxInFlight !== null ? `; ≤ ${summary[id].maxInFlight} PUTs in flight` : ''}`
      + `${summary[id].heapPeakMB !== null ? `; heap peak ${fixed(summary[id].heapPeakMB)} MB` : ''}; CPU s: ${cpuLine(id)}${summary[id].failures.length ? `; FAILED ${summary[id].failures.length}×: ${summary[id].failures[0]}` : ''}`),
    `best Uppy: ${best.uppy}; best raw: ${best.raw}`,
    ...Object.entries(paired).filter(([k, v]) => v && /(uppy|raw)-best|node/.test(k)).map(([k, v]) => `paired ${k.padEnd(28)} ${sp(v, 3)}`),
    loadLine(load),
    '=======================================================================================',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!summary[SHIPPED]?.n) throw new Error(`${SHIPPED} never completed: ${summary[SHIPPED]?.failures?.[0] ?? 'not run'}`);
});
