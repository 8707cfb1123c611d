#!/usr/bin/env node
// Upload diagnostics (why is the browser slower than curl?): on one real stack, the same file is
// sent several ways, each with the CPU seconds used per process group (s3rver runs in child processes of
// the launcher, or in the launcher itself with LOCAL_S3_PROCESSES=1; Chromium's browser / network service /
// renderer are split out):
//   curl-single   curl -T, one presigned PutObject URL
//   curl-parts-N  curl, the server's part size, N at once
//   xhr-single    the page: one XMLHttpRequest PUT of the whole File
//   xhr-parts-N   the page: N XHR PUTs of Blob.slice parts at once (no API calls in between)
//   fetch-parts-N the same with fetch()
//   engine        the SPA uploader (UI + engine) on its upload page
//   npm run bench:upload-diag -w web -- [--no-build] [--upload-mb N] [--legs a,b,…] [--parallel 1,4,8]
//                                       [--repeat N] [--profile] [--env Key=Value …]
// Legs also: curl-parts-complete (curl parts + record + complete), xhr-parts-record (page PUTs that
// record each ETag before the next part, the pre-pipelining engine), engine-reduced-motion.
// --profile writes the renderer CPU profile of the engine leg to tests/artifacts/bench/engine-upload.cpuprofile.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import {
  apiClient, browserCookies, CHROMIUM, CHROMIUM_ARGS, curlPut, repoRoot, startStack, waitForOtherBenchmarks,
} from './lib.mjs';
import { measure } from './cpu-groups.mjs';
import { pagePut, summarizeProfile } from './diag-page.mjs';

const { values: opt } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    'upload-mb': { type: 'string', default: '500' },
    legs: { type: 'string', default: 'curl-single,curl-parts,curl-parts-complete,xhr-single,xhr-parts,fetch-parts,engine' },
    parallel: { type: 'string', default: '4' },
    env: { type: 'string', multiple: true, default: [] },
    repeat: { type: 'string', default: '1' },
    profile: { type: 'boolean', default: false },
  },
});
if (opt['no-build']) process.env.E2E_NO_BUILD = '1';
const BYTES = Number(opt['upload-mb']) * 1e6;
const LEGS = opt.legs.split(',');
const PARALLEL = opt.parallel.split(',').map(Number);
const log = (...a) => process.stderr.write(`[diag] ${a.join(' ')}\n`);
const artifacts = path.join(repoRoot, 'tests/artifacts/bench');

// ---------------------------------------------------------------- helpers
const single = async (admin) => {
  const s = await admin.call('POST', '/api/v1/uploads', { fileName: 'diag.mp4', size: 100_000_000, contentType: 'video/mp4' });
  return s;
};
async function partsSession(admin) {
  const s = await admin.call('POST', '/api/v1/uploads', { fileName: 'diag.mp4', size: BYTES, contentType: 'video/mp4' });
  const urls = [];
  for (let i = 1; i <= s.partCount; i += 100) {
    const nums = Array.from({ length: Math.min(100, s.partCount - i + 1) }, (_, k) => i + k);
    urls.push(...(await admin.call('POST', `/api/v1/uploads/${s.videoId}/parts/sign`, { partNumbers: nums })));
  }
  return { ...s, urls: urls.sort((a, b) => a.partNumber - b.partNumber).map((u) => u.url) };
}


// ---------------------------------------------------------------- main
await waitForOtherBenchmarks(log, 'the upload diagnostics');
const env = Object.fromEntries(opt.env.map((e) => e.split('=')));
const stack = startStack({ logFile: path.join(artifacts, 'diag-stack.log'), workers: 0, env });
let browser;
const file = path.join(os.tmpdir(), `sf-diag-${process.pid}.mp4`);
const results = [];
try {
  const info = await stack.ready;
  const admin = apiClient(info.apiUrl);
  await admin.call('POST', '/api/v1/auth/login', { email: info.env.Auth__AdminEmail, password: info.env.Auth__AdminPassword });
  execFileSync('head', ['-c', String(BYTES), '/dev/urandom'], { stdio: ['ignore', fs.openSync(file, 'w'), 'inherit'] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', ...CHROMIUM_ARGS] });
  const context = await browser.newContext({ baseURL: info.apiUrl });
  await context.addCookies(browserCookies(admin, info.apiUrl));
  const page = await context.newPage();
  const diagPage = async () => {
    await page.goto('/');
    await page.evaluate(() => {
      const i = document.createElement('input');
      i.type = 'file';
      i.id = 'diag-file';
      document.body.append(i);
    });
    await page.locator('#diag-file').setInputFiles(file);
  };

  const cdp = await context.newCDPSession(page);
  for (const leg of Array.from({ length: Number(opt.repeat) }, () => LEGS).flat()) {
    if (leg === 'curl-single') {
      const s = await single(admin);
      results.push(await measure(leg, BYTES, () => curlPut(file, s.url).then(() => undefined)));
      await admin.call('DELETE', `/api/v1/uploads/${s.videoId}`).catch(() => undefined);
    } else if (leg === 'curl-parts') {
      for (const n of PARALLEL) {
        const s = await partsSession(admin);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-diag-parts-'));
        execFileSync('split', ['-b', String(s.partSize), '-d', '-a', '5', file, path.join(dir, 'p')]);
        const queue = s.urls.map((u, i) => ({ u, f: path.join(dir, `p${String(i).padStart(5, '0')}`) }));
        results.push(await measure(`${leg}-${n}`, BYTES, () => Promise.all(Array.from({ length: n }, async () => {
          for (let j = queue.shift(); j; j = queue.shift()) await curlPut(j.f, j.u);
        })).then(() => undefined)));
        fs.rmSync(dir, { recursive: true, force: true });
        await admin.call('DELETE', `/api/v1/uploads/${s.videoId}`).catch(() => undefined);
      }
    } else if (leg === 'curl-parts-complete') {
      // curl parts (4 at once) + record each ETag with the API + complete: the engine's protocol, minus the browser
      const s = await partsSession(admin);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-diag-parts-'));
      execFileSync('split', ['-b', String(s.partSize), '-d', '-a', '5', file, path.join(dir, 'p')]);
      const queue = s.urls.map((u, i) => ({ u, n: i + 1, f: path.join(dir, `p${String(i).padStart(5, '0')}`) }));
      const t = {};
      results.push(await measure(leg, BYTES, async () => {
        const t0 = performance.now();
        await Promise.all(Array.from({ length: 4 }, async () => {
          for (let j = queue.shift(); j; j = queue.shift()) {
            const { etag } = await curlPut(j.f, j.u);
            await admin.call('PUT', `/api/v1/uploads/${s.videoId}/parts/${j.n}`, { etag, size: fs.statSync(j.f).size });
          }
        }));
        t.partsMs = Math.round(performance.now() - t0);
        await admin.call('POST', `/api/v1/uploads/${s.videoId}/complete`);
        t.completeMs = Math.round(performance.now() - t0 - t.partsMs);
        return t;
      }));
      fs.rmSync(dir, { recursive: true, force: true });
      await admin.call('DELETE', `/api/v1/admin/videos/${s.videoId}`).catch(() => undefined);
    } else if (leg === 'xhr-single') {
      await diagPage();
      const s = await single(admin);
      results.push(await measure(leg, BYTES, async () => ({ pageMs: Math.round(await pagePut(page, { urls: [s.url], partSize: 0, parallel: 1, kind: 'xhr' })) })));
      await admin.call('DELETE', `/api/v1/uploads/${s.videoId}`).catch(() => undefined);
    } else if (leg === 'xhr-parts' || leg === 'fetch-parts' || leg === 'xhr-parts-record') {
      for (const n of PARALLEL) {
        await diagPage();
        const s = await partsSession(admin);
        const recordTo = leg === 'xhr-parts-record' ? `/api/v1/uploads/${s.videoId}` : null;
        results.push(await measure(`${leg}-${n}`, BYTES, async () => ({ pageMs: Math.round(await pagePut(page, { urls: s.urls, partSize: s.partSize, parallel: n, kind: leg.split('-')[0], recordTo })) })));
        await admin.call('DELETE', `/api/v1/uploads/${s.videoId}`).catch(() => undefined);
      }
    } else if (leg === 'engine' || leg === 'engine-reduced-motion') {
      // engine-reduced-motion: prefers-reduced-motion (no CSS transitions/animations): what rendering costs
      await page.emulateMedia({ reducedMotion: leg === 'engine' ? 'no-preference' : 'reduce' });
      await page.goto('/');
      await page.locator('input[type=file]').setInputFiles(file);
      await page.evaluate(() => {
        // status transitions of the upload item, in page time
        window.__statuses = [];
        new MutationObserver(() => {
          const s = document.querySelector('[data-testid=upload-item]')?.getAttribute('data-status');
          if (s && window.__statuses.at(-1)?.s !== s) window.__statuses.push({ s, t: performance.now() });
        }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-status'], childList: true });
      });
      results.push(await measure(leg, BYTES, async () => {
        if (opt.profile) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
          await cdp.send('Profiler.start');
        }
        await page.getByRole('button', { name: 'Start upload' }).click();
        await page.locator('[data-testid=upload-item][data-status=done]').waitFor({ timeout: 30 * 60_000 });
        if (opt.profile) {
          const { profile } = await cdp.send('Profiler.stop');
          fs.writeFileSync(path.join(artifacts, 'engine-upload.cpuprofile'), JSON.stringify(profile));
          summarizeProfile(profile, log);
        }
        const st = await page.evaluate(() => window.__statuses);
        const at = (s) => st.find((x) => x.s === s)?.t;
        return { statuses: st.map((x) => `${x.s}@${Math.round(x.t - st[0].t)}`).join(' '), partsMs: Math.round(at('completing') - at('uploading')), completeMs: Math.round(at('done') - at('completing')) };
      }));
      // no worker runs: drop the "processing" video so its card (animated stripes) does not load later legs
      const id = await page.locator('[data-testid=upload-item]').getAttribute('data-video-id');
      if (id) await admin.call('DELETE', `/api/v1/admin/videos/${id}`).catch(() => undefined);
    }
  }
  fs.writeFileSync(path.join(artifacts, 'upload-diag.json'), JSON.stringify({ at: new Date().toISOString(), bytes: BYTES, env, results }, null, 2));
  for (const r of results) {
    const extra = r.partsMs !== undefined ? ` parts ${r.partsMs} ms, complete ${r.completeMs} ms` : '';
    process.stdout.write(`${r.leg.padEnd(20)} ${String(r.MBps).padStart(7)} MB/s  ${String(r.seconds).padStart(6)} s  busy ${r.busyCores} cores (before ${r.busyBefore})  ${Object.entries(r.cpu).map(([k, v]) => `${k} ${v}s`).join(', ')}${extra}\n`);
  }
} finally {
  await browser?.close().catch(() => undefined);
  await stack.stop().catch(() => undefined);
  fs.rmSync(file, { force: true });
}
