#!/usr/bin/env node
// API throughput: part-URL signing against the framework floor (/health/live), with autocannon (npm).
// Starts its own ephemeral stack: node scripts/stack.mjs --ephemeral --api --workers 0 --stdin-lifetime --quiet
// Options (also via `npm run bench -- …`): --no-build, --duration S (10), --warmup S (3),
// --connections N (32), --no-diag (skip the diagnostic runs: GET /me, signing spread over 32
// uploads, batches of 100 over 4 connections), --perf (profile the API with
// `perf record -g` during (b) and (c), DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0; slows them down: for finding hot spots, not figures).
// Targets (issue): ≥ 2,000 signed part URLs/s with p99 < 50 ms (batch signing counts each URL).
// (k) signs as (b) with an API key of the same account instead of the session token (issue 21: key-authenticated
// signing next to token-authenticated signing, same run); the stack lifts ApiKeys__RequestsPerMinute for it.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import {
  runMain, startStack, apiClient, tempDir, log, childPids, cpuSeconds, childrenCpuSeconds, machineCpu,
  pidsMatching, comm, loadavg, which, fmt, pass, sleep, onCleanup, repoRoot, run, stackProcesses, waitQuiet,
} from './lib/common.mjs';

const { values: opt } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    'no-diag': { type: 'boolean', default: false },
    perf: { type: 'boolean', default: false },
  },
  strict: false,
});
const DURATION = Math.min(60, Math.max(1, Number(opt.duration)));
const WARMUP = Math.min(30, Math.max(0, Number(opt.warmup)));
const CONNS = Math.min(256, Math.max(1, Number(opt.connections)));
const DECLARED_SIZE = 50_000_000_000; // 50 GB: the maximum, thousands of parts
const SPREAD_UPLOADS = 32;

const LOAD = path.join(path.dirname(new URL(import.meta.url).pathname), 'lib', 'load.mjs');

/** One autocannon run in a child process (tests/bench/lib/load.mjs); resolves its figures and its CPU time. */
function runLoad({ url, seconds, token, scenario, parts, conns = CONNS }) {
  const spec = { url, seconds, connections: conns, token, mode: scenario.mode };
  if (scenario.mode === 'sign') Object.assign(spec, { uploads: scenario.ids, parts, batch: scenario.batch });
  const args = [`-c ${conns}`, `-d ${seconds}s`];
  return new Promise((resolve, reject) => {
    const cpu0 = childrenCpuSeconds();
    const child = spawn(process.execPath, [LOAD, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = () => child.kill('SIGKILL');
    onCleanup(kill);
    let out = '', err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    const timer = setTimeout(kill, (seconds + 30) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const m = out.match(/^LOAD_JSON (.*)$/m);
      if (code !== 0 || !m) return reject(new Error(`load generator failed (exit ${code}): ${err}\n${out}`));
      resolve({ ...JSON.parse(m[1]), text: (out.replace(/^LOAD_JSON .*\n?/m, '') + err).trim(), loadCpuS: childrenCpuSeconds() - cpu0, args });
    });
  });
}

/** Samples what active PostgreSQL backends wait on, through one psql session, until stop() is called. */
function pgWaitSampler(pg, intervalMs = 200) {
  const psql = which('psql') || fs.readdirSync('/usr/lib/postgresql').sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin/psql`).find((p) => fs.existsSync(p));
  if (!psql) return { stop: async () => null };
  const child = spawn(psql, ['-X', '-At', '-F', '|', '-h', pg.host, '-p', String(pg.port), '-U', pg.username, '-d', pg.database],
    { env: { ...process.env, PGPASSWORD: pg.password }, stdio: ['pipe', 'pipe', 'ignore'] });
  const kill = () => child.kill('SIGKILL');
  onCleanup(kill);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  const q = "SELECT coalesce(wait_event_type,'CPU') || ':' || coalesce(wait_event,'running'), count(*) FROM pg_stat_activity "
    + "WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1;\nSELECT '--sample';\n";
  const timer = setInterval(() => { try { child.stdin.write(q); } catch { /* gone */ } }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      try { child.stdin.end(); } catch { /* gone */ }
      await Promise.race([new Promise((r) => child.on('close', r)), sleep(3000)]);
      kill();
      const tally = {};
      let samples = 0;
      for (const line of out.split('\n')) {
        if (line === '--sample') { samples++; continue; }
        const [k, n] = line.split('|');
        if (k && n) tally[k] = (tally[k] || 0) + Number(n);
      }
      return { samples, avgActive: Object.fromEntries(Object.entries(tally).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / Math.max(1, samples)])) };
    },
  };
}

await runMain(async () => {
  const work = tempDir('sf-bench-api-');

  const stackArgs = ['--api', '--workers', '0', ...(opt['no-build'] ? ['--no-build'] : [])];
  // The per-account request count would refuse a key after 600 calls a minute: the bench measures signing, not the limit.
  const extraEnv = { ApiKeys__RequestsPerMinute: '1000000000', ...(opt.perf ? { DOTNET_PerfMapEnabled: '1', DOTNET_EnableWriteXorExecute: '0' } : {}) };
  const stack = await startStack({ args: stackArgs, extraEnv, logFile: path.join(work, 'stack.log') });
  const { apiUrl, env, postgres, dataDir } = stack.info;
  log('api', `stack up: ${apiUrl}`);

  const apiPid = childPids(stack.pid, 'StreamForge.Api.dll')[0];
  const postmaster = pidsMatching(path.join(dataDir, 'postgres')).find((p) => comm(p) === 'postgres') ?? null;
  if (!apiPid) throw new Error('could not find the API process');
  if (opt.perf) onCleanup(() => { for (const f of [`/tmp/perf-${apiPid}.map`, `/tmp/perfinfo-${apiPid}.map`]) fs.rmSync(f, { force: true }); });

  const api = apiClient(apiUrl);
  await api.login(env.Auth__AdminEmail, env.Auth__AdminPassword);
  const me = await api.call('GET', '/api/v1/me');
  if (me.role !== 'admin' || me.quotaBytes !== null) throw new Error(`expected an admin without quota, got ${JSON.stringify(me)}`);
  const upload = await api.call('POST', '/api/v1/uploads', { fileName: 'bench-50gb.mp4', size: DECLARED_SIZE, contentType: 'video/mp4', title: 'bench' });
  if (upload.mode !== 'multipart' || upload.partCount < 1000) throw new Error(`expected thousands of parts: ${JSON.stringify(upload)}`);
  log('api', `upload ${upload.videoId}: ${upload.partCount} parts of ${upload.partSize} B`);
  // sanity: both request shapes answer what the docs say
  const one = await api.call('POST', `/api/v1/uploads/${upload.videoId}/parts/sign`, { partNumbers: [upload.partCount] });
  const hundred = await api.call('POST', `/api/v1/uploads/${upload.videoId}/parts/sign`, { partNumbers: Array.from({ length: 100 }, (_, i) => i + 1) });
  if (one.length !== 1 || !one[0].url.includes(`partNumber=${upload.partCount}`) || hundred.length !== 100) throw new Error('sign answered unexpectedly');
  const apiKey = (await api.call('POST', '/api/v1/keys', { name: 'bench', scopes: ['uploads:write'] })).key;
  const byKey = await fetch(`${apiUrl}/api/v1/uploads/${upload.videoId}/parts/sign`, {
    method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ partNumbers: [1] }),
  });
  if (byKey.status !== 200) throw new Error(`signing with the API key answered ${byKey.status}: ${await byKey.text()}`);
  const spread = [upload.videoId];
  if (!opt['no-diag']) {
    for (let i = 1; i < SPREAD_UPLOADS; i++) {
      spread.push((await api.call('POST', '/api/v1/uploads', { fileName: `bench-${i}.mp4`, size: DECLARED_SIZE, contentType: 'video/mp4' })).videoId);
    }
  }

  const mainUpload = [upload.videoId];
  const scenarios = [
    { key: 'a', name: '(a) GET /health/live', path: '/health/live', mode: 'get', urlsPerReq: 0 },
    { key: 'b', name: '(b) sign, 1 part/request', path: '/', mode: 'sign', batch: 1, ids: mainUpload, urlsPerReq: 1 },
    { key: 'k', name: '(k) sign parts (API key), 1 part/request', path: '/', mode: 'sign', batch: 1, ids: mainUpload, urlsPerReq: 1, token: apiKey },
    { key: 'c', name: '(c) sign, 100 parts/request', path: '/', mode: 'sign', batch: 100, ids: mainUpload, urlsPerReq: 100 },
    // What browsers do: the uploader signs a few parts ahead per call, a handful of uploads at once.
    { key: 'e', name: '(e) sign, 10 parts/request, 8 connections', path: '/', mode: 'sign', batch: 10, ids: mainUpload, urlsPerReq: 10, conns: 8 },
  ];
  if (!opt['no-diag']) {
    scenarios.push(
      { key: 'd1', name: '[diag] GET /api/v1/me (auth + 1 query)', path: '/api/v1/me', mode: 'get', urlsPerReq: 0, diag: true },
      { key: 'd2', name: `[diag] sign 1 part, over ${SPREAD_UPLOADS} uploads`, path: '/', mode: 'sign', batch: 1, ids: spread, urlsPerReq: 1, diag: true },
      { key: 'd3', name: '[diag] sign 100 parts, 4 connections', path: '/', mode: 'sign', batch: 100, ids: mainUpload, urlsPerReq: 100, diag: true, conns: 4 },
    );
  }
  const load = (s, seconds) => runLoad({ url: apiUrl + s.path, seconds, token: s.token ?? api.token, scenario: s, parts: upload.partCount, conns: s.conns });

  // JIT warm-up pass over every scenario first: with both cores saturated, tier-1 recompilation of the hot
  // paths lags, and whichever scenario ran first would pay for it.
  if (WARMUP > 0) {
    log('api', `warm-up pass: ${scenarios.length} × ${WARMUP} s`);
    for (const s of scenarios) await load(s, WARMUP);
  }
  const results = {};
  for (const s of scenarios) {
    const gate = await waitQuiet({ ownCpu: stackProcesses(stack).cpu, tag: 'api' });
    if (gate.waitedS > 1) log('api', `waited ${gate.waitedS.toFixed(0)} s for a quiet machine`);
    if (WARMUP > 0) await load(s, WARMUP);
    const la = loadavg();
    const api0 = cpuSeconds(apiPid);
    const pgPids = postmaster ? [postmaster, ...childPids(postmaster)] : [];
    const pg0 = pgPids.reduce((a, p) => a + cpuSeconds(p), 0);
    const m0 = machineCpu();
    const sampler = s.urlsPerReq && postgres ? pgWaitSampler(postgres) : null;
    const perfFile = path.join(work, `perf-${s.key}.data`);
    const perfP = opt.perf && ['b', 'c'].includes(s.key) && which('perf')
      ? run('perf', ['record', '-F', '499', '-g', '-p', String(apiPid), '-o', perfFile, '--', 'sleep', String(Math.max(1, DURATION - 1))])
      : null;
    const r = await load(s, DURATION);
    if (perfP) await perfP;
    const waits = sampler ? await sampler.stop() : null;
    const m1 = machineCpu();
    const apiCpu = cpuSeconds(apiPid) - api0;
    const pgCpu = [postmaster, ...childPids(postmaster ?? -1)].filter(Boolean).reduce((a, p) => a + cpuSeconds(p), 0) - pg0;
    const secs = r.durationUs / 1e6;
    const rps = r.requests / secs;
    const res = {
      ...s, rps, urlsPerSec: rps * s.urlsPerReq, p50: r.p50 / 1000, p90: r.p90 / 1000, p99: r.p99 / 1000, max: r.max / 1000,
      errors: r.errors + r.timeouts, non2xx: r.non2xx, requests: r.requests, secs,
      cpu: { api: apiCpu / secs, postgres: pgCpu / secs, load: r.loadCpuS / secs, machine: (m1.busy - m0.busy) / secs, other: ((m1.busy - m0.busy) - apiCpu - pgCpu - r.loadCpuS) / secs },
      apiCpuMsPerReq: (apiCpu * 1000) / r.requests, pgCpuMsPerReq: (pgCpu * 1000) / r.requests, waits, loadavg: la, loadArgs: r.args,
    };
    results[s.key] = res;
    process.stdout.write(`\n--- ${s.name}: autocannon ${r.args.join(' ')}\n${r.text.trim()}\n`);
    process.stdout.write(`cpu (cores busy): api ${fmt(res.cpu.api, 2)}, postgres ${fmt(res.cpu.postgres, 2)}, autocannon ${fmt(res.cpu.load, 2)}, other processes ${fmt(res.cpu.other, 2)} (machine ${fmt(res.cpu.machine, 2)} of 2); loadavg before: ${la}\n`);
    if (perfP) {
      const rep = await run('perf', ['report', '-i', perfFile, '--stdio', '--no-children', '--sort', 'dso,sym', '-g', 'none', '--percent-limit', '1']);
      const top = rep.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('#')).slice(0, 30).join('\n');
      const inc = await run('perf', ['report', '-i', perfFile, '--stdio', '--children', '--sort', 'sym', '-g', 'none', '--percent-limit', '4']);
      const incTop = inc.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('#')).slice(0, 50).join('\n');
      process.stdout.write(`perf (API process, self time, top):\n${top}\nperf (API process, inclusive time ≥ 4%):\n${incTop}\n`);
    }
    if (waits) process.stdout.write(`postgres active backends by wait event (avg over ${waits.samples} samples): ${Object.entries(waits.avgActive).map(([k, v]) => `${k} ${fmt(v, 2)}`).join(', ') || 'none'}\n`);
  }

  // the server is still healthy and the upload still signs
  await api.call('POST', `/api/v1/uploads/${upload.videoId}/parts/sign`, { partNumbers: [1] });

  const a = results.a, b = results.b, c = results.c, e = results.e;
  const bad = Object.values(results).filter((r) => r.errors || r.non2xx);
  const lines = [
    '',
    '==================== API benchmark summary ====================',
    `stack: node scripts/stack.mjs --ephemeral --stdin-lifetime --quiet ${stackArgs.join(' ')}`,
    `autocannon: -c ${CONNS} -d ${DURATION}s (after a ${WARMUP} s warm-up pass over all scenarios, then a ${WARMUP} s warm-up each); upload of ${DECLARED_SIZE / 1e9} GB = ${upload.partCount} parts`,
    `${'scenario'.padEnd(44)} ${'req/s'.padStart(9)} ${'URLs/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'api cores'.padStart(9)} ${'pg cores'.padStart(8)}  errors`,
    ...Object.values(results).map((r) => `${r.name.padEnd(44)} ${fmt(r.rps, 0).padStart(9)} ${(r.urlsPerReq ? fmt(r.urlsPerSec, 0) : '-').padStart(9)} ${fmt(r.p50, 2).padStart(8)} ${fmt(r.p99, 2).padStart(8)} ${fmt(r.max, 1).padStart(8)} ${fmt(r.cpu.api, 2).padStart(9)} ${fmt(r.cpu.postgres, 2).padStart(8)}  ${r.errors + r.non2xx}`),
    `API key / session token signing (k)/(b) req/s: ${fmt(results.k.rps / b.rps, 3)}, p99 ${fmt(results.k.p99, 2)} vs ${fmt(b.p99, 2)} ms`,
    `ratio (b)/(a) req/s: ${fmt(b.rps / a.rps, 3)}   (c)/(a) req/s: ${fmt(c.rps / a.rps, 3)}   (c)/(b) URLs/s: ${fmt(c.urlsPerSec / b.urlsPerSec, 1)}`,
    `API CPU per request: (a) ${fmt(a.apiCpuMsPerReq, 3)} ms, (b) ${fmt(b.apiCpuMsPerReq, 3)} ms, (c) ${fmt(c.apiCpuMsPerReq, 3)} ms (${fmt(c.apiCpuMsPerReq / 100, 3)} ms/URL); postgres CPU per request: (b) ${fmt(b.pgCpuMsPerReq, 3)} ms, (c) ${fmt(c.pgCpuMsPerReq, 3)} ms`,
    ...(results.d2 ? [`diag: sign over ${SPREAD_UPLOADS} uploads / one upload (req/s): ${fmt(results.d2.rps / b.rps, 2)};  GET /me / health (req/s): ${fmt(results.d1.rps / a.rps, 3)};  sign(b) / GET /me (req/s): ${fmt(b.rps / results.d1.rps, 3)}`] : []),
    `target (b) one URL per request: ≥ 2000 URLs/s and p99 < 50 ms: ${fmt(b.urlsPerSec, 0)} URLs/s, p99 ${fmt(b.p99, 1)} ms → ${pass(b.urlsPerSec >= 2000 && b.p99 < 50)}`,
    `target (c) batches of 100:       ≥ 2000 URLs/s and p99 < 50 ms: ${fmt(c.urlsPerSec, 0)} URLs/s, p99 ${fmt(c.p99, 1)} ms → ${pass(c.urlsPerSec >= 2000 && c.p99 < 50)}`,
    `target (e) batches of 10, 8 conn: ≥ 2000 URLs/s and p99 < 50 ms: ${fmt(e.urlsPerSec, 0)} URLs/s, p99 ${fmt(e.p99, 1)} ms → ${pass(e.urlsPerSec >= 2000 && e.p99 < 50)}`,
    `socket errors / non-2xx: ${bad.length ? bad.map((r) => `${r.key}: ${r.errors}/${r.non2xx}`).join(', ') : 'none'}`,
    `machine: ${fmt(Object.values(results).reduce((x, r) => x + r.cpu.other, 0) / Object.keys(results).length, 2)} cores on average used by processes outside this benchmark during the runs (2 cores total)`,
    '================================================================',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  fs.mkdirSync(path.join(repoRoot, 'tests/artifacts/bench'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, 'tests/artifacts/bench/api.json'), JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
  if (bad.length) throw new Error('requests failed under load (see errors above)');
});
