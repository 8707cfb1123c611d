#!/usr/bin/env node
// Pickup latency under a burst: N tiny uploads (1 s, 160x90) completed back to back against a stack with one
// worker (one job at a time). A video's pickup is the time from "runnable and the worker free" to "its run
// started": started_at − max(enqueued_at, the previous run's finished_at), from the job history
// (GET /api/v1/admin/jobs/{id}, the attempts the worker recorded). A job scheduled before its completion
// committed would be skipped by the woken worker and wait for the maintenance sweep (~60 s).
// Starts its own ephemeral stack: node scripts/stack.mjs --ephemeral --api --workers 1 --stdin-lifetime --quiet.
// Options: --no-build, --count N (50). Target: max pickup ≤ 5 s (p50 well under 1 s).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runMain, startStack, apiClient, tempDir, log, run, which, fmt, pass, sleep, percentile, repoRoot } from './lib/common.mjs';

const { values: opt } = parseArgs({
  options: { 'no-build': { type: 'boolean', default: false }, count: { type: 'string', default: '50' } },
  strict: false,
});
const COUNT = Math.min(500, Math.max(1, Number(opt.count)));

async function createAndPut(api, file, title) {
  const bytes = fs.readFileSync(file);
  const created = await api.call('POST', '/api/v1/uploads', { fileName: path.basename(file), size: bytes.length, contentType: 'video/mp4', title });
  if (created.mode !== 'single') throw new Error(`expected a single-PUT upload, got ${created.mode}`);
  const res = await fetch(created.url, { method: 'PUT', body: bytes, signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`storage PUT → ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return created.videoId;
}

async function waitFinal(api, ids, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(ids);
  while (pending.size > 0) {
    if (Date.now() > deadline) throw new Error(`${pending.size} of ${ids.length} videos not finished in ${timeoutMs / 1000} s`);
    for (const id of [...pending]) {
      const v = await api.call('GET', `/api/v1/videos/${id}`);
      if (v.status === 'failed') throw new Error(`video ${id} failed: ${v.lastError}`);
      if (v.status === 'ready') pending.delete(id);
    }
    if (pending.size > 0) await sleep(500);
  }
}

await runMain(async () => {
  for (const tool of ['ffmpeg', 'dotnet']) if (!which(tool)) throw new Error(`${tool} is not installed`);
  const work = tempDir('sf-bench-pickup-');
  const clip = path.join(work, 'tiny.mp4');
  const gen = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=30:duration=1',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip]);
  if (gen.code !== 0) throw new Error(`clip generation failed: ${gen.stderr}`);

  const stack = await startStack({ args: ['--api', '--workers', '1', ...(opt['no-build'] ? ['--no-build'] : [])], logFile: path.join(work, 'stack.log') });
  const { apiUrl, env } = stack.info;
  const api = apiClient(apiUrl);
  await api.login(env.Auth__AdminEmail, env.Auth__AdminPassword);

  // Warm-up (not counted): the worker's first job pays JIT and first connections.
  const warm = await createAndPut(api, clip, 'warm-up');
  await api.call('POST', `/api/v1/uploads/${warm}/complete`);
  await waitFinal(api, [warm], 120_000);

  // Bytes first, then the completions back to back: the burst is N enqueues within a second or two.
  const ids = [];
  for (let i = 0; i < COUNT; i++) ids.push(await createAndPut(api, clip, `pickup ${i + 1}`));
  const t0 = Date.now();
  for (const id of ids) await api.call('POST', `/api/v1/uploads/${id}/complete`);
  log('pickup', `${COUNT} completions in ${Date.now() - t0} ms`);
  await waitFinal(api, ids, COUNT * 30_000);

  const runs = [];
  for (const id of ids) {
    const detail = await api.call('GET', `/api/v1/admin/jobs/${id}`);
    const first = detail.attempts[0];
    runs.push({ id, enqueued: Date.parse(detail.job.enqueuedAt), started: Date.parse(first.startedAt), finished: Date.parse(first.finishedAt), attempts: detail.attempts.length });
  }
  runs.sort((a, b) => a.started - b.started);
  const pickups = runs.map((r, i) => Math.max(0, r.started - Math.max(r.enqueued, i > 0 ? runs[i - 1].finished : r.enqueued)));
  const waits = runs.map((r) => r.started - r.enqueued);
  const p50 = percentile(pickups, 50), p95 = percentile(pickups, 95), max = Math.max(...pickups);
  log('pickup', `pickup ms (runnable & worker free → started): ${pickups.join(', ')}`);
  console.log(`pickup over ${COUNT} back-to-back completions, one worker: median ${fmt(p50, 0)} ms, p95 ${fmt(p95, 0)} ms, max ${fmt(max, 0)} ms `
    + `(enqueue → start incl. queueing behind earlier jobs: median ${fmt(percentile(waits, 50), 0)} ms, max ${fmt(Math.max(...waits), 0)} ms); `
    + `retried runs: ${runs.filter((r) => r.attempts > 1).length}; max ≤ 5000 ms ${pass(max <= 5000)}`);
  fs.mkdirSync(path.join(repoRoot, 'tests/artifacts/bench'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, 'tests/artifacts/bench/pickup.json'), JSON.stringify({
    at: new Date().toISOString(), count: COUNT, p50, p95, max, waitP50: percentile(waits, 50), waitMax: Math.max(...waits), retried: runs.filter((r) => r.attempts > 1).length, pickups,
  }, null, 2));
  await stack.stop();
  if (max > 5000) process.exitCode = 1;
});
