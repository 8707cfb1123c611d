#!/usr/bin/env node
// Resume after a reload: an upload is interrupted by a page reload once half the file has been sent, then the
// same page resumes it with the same file, as a person would after an accidental reload. For each uploader:
//  - time to resume: reload → the first body byte of a new part PUT / PATCH on the wire (page load, the file
//    picked again, the uploader's own resume logic: all of it);
//  - bytes sent again: body bytes sent to storage in total, minus the file size;
//  - total time: start → upload complete, the reload included.
// Uploaders (web/bench/pages/resume.{html,ts}): ours (the SPA's engine, its IndexedDB resume record, --concurrency
// in flight, default 4 as shipped), Uppy 5.x at its defaults with @uppy/golden-retriever, and tus (tus-js-client
// against @tus/server + @tus/s3-store run here, on the stack's S3 server: resume-tus.mjs). Chromium sends every
// request through a counting proxy in this process (resume-proxy.mjs), so every leg's bytes and times are
// counted by the same code on the same clock.
//   node web/bench/resume.mjs [--no-build] [--rounds N (5)] [--upload-mb N (500)] [--reload-at F (0.5)]
//        [--concurrency N (4)] [--legs ours,uppy-gr,tus] [--warmup 0|1 (1)]
// Stack: scripts/stack.mjs --ephemeral --api --workers 0 --build-web. Writes tests/artifacts/bench/resume.json
// (every leg of every round). Targets (bench-table.mjs): ours sends again ≤ 1 part (10 MB) and ≤ Uppy Golden
// Retriever's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { apiClient, benchOptions, browserCookies, CHROMIUM, CHROMIUM_ARGS, median, repoRoot, runWebBench } from './lib.mjs';
import { buildBenchPages } from './pages/build.mjs';
import { startCountingProxy } from './resume-proxy.mjs';
import { startTusServer } from './resume-tus.mjs';
import { loadavg } from '../../scripts/lib/machine.mjs';
import { s3Client } from '../../scripts/lib/s3-client.mjs';
import { loadLine } from '../../scripts/lib/bench-load.mjs';

const opt = benchOptions({
  rounds: { type: 'string', default: '5' },
  'upload-mb': { type: 'string', default: '500' },
  'reload-at': { type: 'string', default: '0.5' },
  concurrency: { type: 'string', default: '4' },
  legs: { type: 'string', default: 'ours,uppy-gr,tus' },
  warmup: { type: 'string', default: '1' },
});
const BYTES = Math.round(Number(opt['upload-mb']) * 1e6);
const ROUNDS = Math.max(1, Number(opt.rounds));
const RELOAD_AT = Math.min(0.95, Math.max(0.05, Number(opt['reload-at'])));
const CONCURRENCY = Math.max(1, Number(String(opt.concurrency).split(',')[0]));
const LEGS = {
  ours: { kind: 'ours', label: `ours (IndexedDB record, file picked again, ${CONCURRENCY} in flight)` },
  'uppy-gr': { kind: 'uppy', label: 'Uppy + Golden Retriever (defaults, limit 6)' },
  tus: { kind: 'tus', label: 'tus (tus-js-client → @tus/server + @tus/s3-store)' },
};
const ids = opt.legs.split(',').map((x) => x.trim()).filter((x) => LEGS[x]);
const LEG_TIMEOUT_MS = 15 * 60_000;
const log = (...a) => process.stderr.write(`[resume] ${a.join(' ')}\n`);
const fixed = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const MB = (b) => b / 1e6;
const spreadOf = (v) => (v.length ? { median: median(v), min: Math.min(...v), max: Math.max(...v) } : null);
const version = (pkg) => {
  for (const dir of ['node_modules', 'web/node_modules']) {
    try { return JSON.parse(fs.readFileSync(path.join(repoRoot, dir, pkg, 'package.json'), 'utf8')).version; } catch { /* next */ }
  }
  return null;
};
const withTimeout = (p, ms, what) => Promise.race([p, new Promise((_, reject) => {
  setTimeout(() => reject(new Error(`${what}: no result after ${ms / 1000} s`)), ms).unref();
})]);

const file = path.join(os.tmpdir(), `sf-bench-resume-${process.pid}.mp4`);
await runWebBench({ name: 'resume', stack: { workers: 0 }, sampleLoad: true }, async ({ ready, stopLoad, cleanup, write }) => {
  cleanup(() => fs.rmSync(file, { force: true }));
  log(`${MB(BYTES)} MB of random bytes → ${file}`);
  execFileSync('head', ['-c', String(BYTES), '/dev/urandom'], { stdio: ['ignore', fs.openSync(file, 'w'), 'inherit'] });
  const info = await ready;
  await buildBenchPages();
  const admin = apiClient(info.apiUrl);
  await admin.login(info.env.Auth__AdminEmail, info.env.Auth__AdminPassword);
  const probe = await admin.call('POST', '/api/v1/uploads', { fileName: 'probe.mp4', size: BYTES, contentType: 'video/mp4' });
  await admin.call('DELETE', `/api/v1/uploads/${probe.videoId}`);
  if (probe.mode !== 'multipart') throw new Error(`a ${MB(BYTES)} MB file uploads in ${probe.mode} mode: use ≥ 100 MB`);
  const s3 = s3Client(info.s3);
  const tus = await startTusServer({ s3: info.s3, partSize: probe.partSize });
  cleanup(() => tus.close());
  const proxy = await startCountingProxy();
  cleanup(() => proxy.close());
  const storageHosts = new Set([new URL(info.s3.endpoint).host, new URL(tus.endpoint).host]);
  log(`stack ${info.apiUrl}, S3 ${info.s3.endpoint}, tus ${tus.endpoint}, proxy ${proxy.url}; ${probe.partCount} parts of ${probe.partSize} B; reload at ${RELOAD_AT * 100}%`);
  // every request through the counting proxy, loopback included (Chromium bypasses the proxy for it by default)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', ...CHROMIUM_ARGS, `--proxy-server=${proxy.url}`, '--proxy-bypass-list=<-loopback>'] });
  cleanup(() => browser.close());

  const runLeg = async (id) => {
    const { kind } = LEGS[id];
    const o = { concurrency: CONCURRENCY, partSize: probe.partSize };
    const context = await browser.newContext({ baseURL: info.apiUrl, bypassCSP: true }); // the page's CSP would refuse the tus server's origin
    const la = loadavg();
    try {
      await context.addCookies(browserCookies(admin, info.apiUrl));
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource|ERR_ABORTED|aborted/i.test(m.text())) log(`${id} page console: ${m.text()}`); });
      page.on('pageerror', (e) => log(`${id} page error: ${e.message}`));
      await page.goto(`/__bench/resume.html?tus=${encodeURIComponent(tus.endpoint)}`);
      await page.waitForFunction(() => window.resumeBench !== undefined, null, { timeout: 30_000 });
      await page.evaluate(() => window.resumeBench.reset());
      await page.locator('#file').setInputFiles(file);
      const first = proxy.requests.length;
      let sent = 0;
      const half = new Promise((resolve) => proxy.onBody((rec, n) => {
        if (!storageHosts.has(rec.host)) return;
        sent += n;
        if (sent >= RELOAD_AT * BYTES) resolve();
      }));
      const t0 = performance.now();
      await page.evaluate(({ kind, o }) => window.resumeBench.start(kind, o), { kind, o });
      await withTimeout(half, LEG_TIMEOUT_MS, `${id}: ${RELOAD_AT * 100}% sent`);
      proxy.onBody(null);
      const tReload = performance.now();
      const sentBeforeReload = sent;
      await page.reload();
      await page.waitForFunction(() => window.resumeBench !== undefined, null, { timeout: 30_000 });
      await page.locator('#file').setInputFiles(file);
      const done = await withTimeout(page.evaluate(({ kind, o }) => window.resumeBench.resume(kind, o), { kind, o }), LEG_TIMEOUT_MS, `${id}: resume`);
      const tDone = performance.now();
      const recs = proxy.requests.slice(first).filter((r) => storageHosts.has(r.host));
      const total = recs.reduce((x, r) => x + r.bytes, 0);
      const firstNew = Math.min(...recs.filter((r) => r.t0 >= tReload && r.tFirst !== null).map((r) => r.tFirst));
      // What the bytes sent again are made of: those of requests the reload cut off (lost for any protocol that
      // stores whole parts) and the rest (parts that had arrived whole, sent again); and whether the uploader
      // started a new session instead of resuming its own.
      const cutBytes = recs.filter((r) => r.aborted).reduce((x, r) => x + r.bytes, 0);
      const sessionPaths = new Set(['/api/v1/uploads', new URL(tus.endpoint).pathname]);
      const newSessions = proxy.requests.slice(first).filter((r) => r.t0 >= tReload && r.method === 'POST' && sessionPaths.has(r.path)).length;
      // the stored object is the file, whole
      if (done.videoId) {
        const v = await admin.call('GET', `/api/v1/videos/${done.videoId}`);
        await admin.call('DELETE', `/api/v1/admin/videos/${done.videoId}`).catch((e) => log(`could not delete ${done.videoId}: ${e.message}`));
        if (v.sizeBytes !== BYTES || v.status !== 'processing') throw new Error(`the video is ${v.status} with ${v.sizeBytes} B, expected processing with ${BYTES}`);
      } else if (done.uploadUrl) {
        const Key = new URL(done.uploadUrl).pathname.split('/').pop();
        const head = await s3.send(new HeadObjectCommand({ Bucket: info.s3.bucket, Key }));
        for (const k of [Key, `${Key}.info`]) await s3.send(new DeleteObjectCommand({ Bucket: info.s3.bucket, Key: k })).catch(() => undefined);
        if (head.ContentLength !== BYTES) throw new Error(`the tus object has ${head.ContentLength} B, expected ${BYTES}`);
      } else throw new Error(`the page reported no upload: ${JSON.stringify(done)}`);
      const out = {
        leg: id, resumeMs: Number.isFinite(firstNew) ? firstNew - tReload : null, resentBytes: total - BYTES, totalMs: tDone - t0,
        sentBeforeReload, storageRequests: recs.length, cutRequests: recs.filter((r) => r.aborted).length, cutBytes,
        wholeResentBytes: Math.max(0, total - BYTES - cutBytes), newSessionsAfterReload: newSessions, loadavg: la,
      };
      log(`${id.padEnd(8)} resume ${fixed(out.resumeMs, 0)} ms, sent again ${fixed(MB(out.resentBytes), 1)} MB (${fixed(MB(sentBeforeReload), 1)} MB sent before the reload; `
        + `${out.cutRequests} requests cut with ${fixed(MB(cutBytes), 1)} MB; ${fixed(MB(out.wholeResentBytes), 1)} MB of whole parts again; ${newSessions} new sessions), `
        + `total ${fixed(out.totalMs / 1000, 1)} s; loadavg ${la}`);
      return out;
    } catch (error) {
      proxy.onBody(null);
      const message = String(error?.message ?? error).split('\n')[0].slice(0, 300);
      log(`${id} FAILED: ${message}`);
      return { leg: id, error: message, loadavg: la };
    } finally {
      await context.close().catch(() => undefined);
    }
  };

  const warmup = [];
  if (opt.warmup !== '0') {
    log(`warm-up (not counted): every leg once, ${ids.join(', ')}`);
    for (const id of ids) warmup.push(await runLeg(id));
  }
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = ids.map((_, i) => ids[(i + round) % ids.length]);
    log(`round ${round + 1}/${ROUNDS}: ${order.join(' → ')}`);
    const r = { order, results: {} };
    for (const id of order) r.results[id] = await runLeg(id);
    rounds.push(r);
  }
  const okRuns = (id) => rounds.map((r) => r.results[id]).filter((x) => x && !x.error);
  const legs = Object.fromEntries(ids.map((id) => [id, {
    label: LEGS[id].label,
    n: okRuns(id).length,
    resumeMs: spreadOf(okRuns(id).map((x) => x.resumeMs).filter((x) => x !== null)),
    resentBytes: spreadOf(okRuns(id).map((x) => x.resentBytes)),
    totalMs: spreadOf(okRuns(id).map((x) => x.totalMs)),
    cutBytes: spreadOf(okRuns(id).map((x) => x.cutBytes)),
    wholeResentBytes: spreadOf(okRuns(id).map((x) => x.wholeResentBytes)),
    newSessionsAfterReload: okRuns(id).reduce((x, r) => x + r.newSessionsAfterReload, 0),
    failures: [...warmup, ...rounds.map((r) => r.results[id])].filter((x) => x?.leg === id && x.error).map((x) => x.error),
  }]));
  const load = stopLoad();
  const result = {
    at: new Date().toISOString(), bytes: BYTES, partSize: probe.partSize, parts: probe.partCount, reloadAt: RELOAD_AT, rounds: ROUNDS, concurrency: CONCURRENCY,
    versions: Object.fromEntries(['@uppy/core', '@uppy/aws-s3', '@uppy/golden-retriever', 'tus-js-client', '@tus/server', '@tus/s3-store'].map((p) => [p, version(p)])),
    legs, warmup, roundsData: rounds, load, machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, loadavgEnd: loadavg() },
  };
  write(result);
  const sp = (v, f) => (v ? `${f(v.median)} (${f(v.min)}–${f(v.max)})` : 'n/a');
  process.stdout.write(`${[
    '',
    '================ resume after a reload: ours vs Uppy Golden Retriever vs tus ================',
    `${MB(BYTES)} MB random file, reload at ${RELOAD_AT * 100}% sent, ${ROUNDS} rounds in rotating order; median (min–max)`,
    ...ids.map((id) => `${id.padEnd(8)} n ${legs[id].n}: resume ${sp(legs[id].resumeMs, (x) => `${fixed(x, 0)} ms`)}; sent again ${sp(legs[id].resentBytes, (x) => `${fixed(MB(x), 1)} MB`)}; `
      + `total ${sp(legs[id].totalMs, (x) => `${fixed(x / 1000, 1)} s`)}${legs[id].failures.length ? `; FAILED ${legs[id].failures.length}×: ${legs[id].failures[0]}` : ''}`),
    loadLine(load),
    '==============================================================================================',
  ].join('\n')}\n`);
  if (ids.includes('ours') && !legs.ours.n) throw new Error(`ours never resumed: ${legs.ours.failures[0] ?? 'no run'}`);
});
