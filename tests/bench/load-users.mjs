#!/usr/bin/env node
// Load: N users at once (50), each registering, logging in and uploading a 12 MB file through the real
// multipart protocol (create → sign both parts → PUT both to storage → record each ETag → complete),
// while 5 transcodes run on a real worker (Worker__MaxConcurrentJobs=5, started before the users and
// checked to still be running while they upload).
// Reports: errors (target 0), every object complete (HEAD: size = source, ETag = S3's md5-of-md5s-2 of
// the bytes sent), API latency p50/p99 per endpoint (client side, request sent → body read), peak
// PostgreSQL connections of the stack's database (pg_stat_activity every 100 ms), wall time, loadavg.
// Starts its own ephemeral stack: node scripts/stack.mjs --ephemeral --api --workers 1 --stdin-lifetime --quiet
// with Uploads__MultipartThresholdBytes=5 MiB (12 MB goes multipart: 10 MB + 2 MB at the default part size)
// and the auth rate limits raised (every user comes from 127.0.0.1: the per-address limits would refuse
// the 6th registration within a minute, which is the limiter working, not the load being served).
// Options: --no-build, --users N (50), --file-mb N (12), --transcodes N (5), --clip-seconds S (45: the transcodes must outlast the uploads on an idle machine).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  runMain, startStack, apiClient, tempDir, log, childPids, cmdline, fmt, pass, sleep, percentile, loadavg, repoRoot, stackProcesses, which,
} from './lib/common.mjs';
import { ffmpegGen, mustRun, uploadFile } from './lib/media.mjs';
import { pgConnectionSampler } from './lib/pg.mjs';

const { values: opt } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    users: { type: 'string', default: '50' },
    'file-mb': { type: 'string', default: '12' },
    transcodes: { type: 'string', default: '5' },
    'clip-seconds': { type: 'string', default: '45' },
  },
  strict: false,
});
const USERS = Math.min(500, Math.max(1, Number(opt.users)));
const FILE_BYTES = Math.round(Number(opt['file-mb']) * 1e6);
const TRANSCODES = Math.min(20, Math.max(0, Number(opt.transcodes)));
const CLIP_SECONDS = Math.min(120, Math.max(2, Number(opt['clip-seconds'])));
const PART_SIZE = 10_000_000;
const ENDPOINTS = ['register', 'login', 'create', 'sign', 'record', 'complete'];

/** S3's multipart ETag: MD5 of the concatenated binary MD5s of the parts, then "-<part count>". */
function multipartEtag(buf, partSize) {
  const digests = [];
  for (let off = 0; off < buf.length; off += partSize) digests.push(crypto.createHash('md5').update(buf.subarray(off, off + partSize)).digest());
  return `"${crypto.createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${digests.length}"`;
}

await runMain(async () => {
  for (const tool of ['ffmpeg', 'dotnet']) if (!which(tool)) throw new Error(`${tool} is not installed`);
  const work = tempDir('sf-bench-load-');
  const clip = path.join(work, 'clip720p.mp4');
  const env = {
    Uploads__MultipartThresholdBytes: String(5 * 1024 * 1024),
    Auth__RegistrationsPerMinute: '100000',
    Auth__LoginAttemptsPerMinute: '100000',
    Worker__MaxConcurrentJobs: String(Math.max(1, TRANSCODES)),
  };
  const stackArgs = ['--api', '--workers', '1', ...(opt['no-build'] ? ['--no-build'] : [])];
  const stackP = startStack({ args: stackArgs, extraEnv: env, logFile: path.join(work, 'stack.log') });
  stackP.catch(() => {});
  log('load', `${CLIP_SECONDS} s 720p clip for the transcodes; ${USERS} × ${FILE_BYTES / 1e6} MB of random bytes for the users`);
  await mustRun('clip', 'ffmpeg', ffmpegGen(clip, { size: '1280x720', seconds: CLIP_SECONDS, video: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20'] }));
  // one random file per user, so that every stored object can be told apart and checked byte for byte (by ETag)
  const files = Array.from({ length: USERS }, () => crypto.randomBytes(FILE_BYTES));
  const expectedEtags = files.map((b) => multipartEtag(b, PART_SIZE));
  const stack = await stackP;
  const { apiUrl, env: stackEnv, postgres } = stack.info;
  const procs = stackProcesses(stack);
  const workerPid = procs.workers[0];
  if (!workerPid) throw new Error(`no worker started\n${stack.logTail()}`);
  log('load', `stack up: ${apiUrl}`);

  const admin = apiClient(apiUrl);
  await admin.login(stackEnv.Auth__AdminEmail, stackEnv.Auth__AdminPassword);

  // The transcodes: uploaded first, completed together, then the users start once every one of them has its ffmpeg running.
  const clipIds = [];
  for (let i = 0; i < TRANSCODES; i++) clipIds.push((await uploadFile(admin, clip, { title: `load transcode ${i + 1}` })).videoId);
  const tTranscodes = Date.now();
  await Promise.all(clipIds.map((id) => admin.call('POST', `/api/v1/uploads/${id}/complete`)));
  const ffmpegs = () => childPids(workerPid, 'ffmpeg').filter((p) => cmdline(p).includes('dash')).length;
  for (const deadline = Date.now() + 180_000; ffmpegs() < TRANSCODES;) {
    if (Date.now() > deadline) throw new Error(`only ${ffmpegs()} of ${TRANSCODES} transcodes started within 180 s`);
    await sleep(100);
  }
  log('load', `${TRANSCODES} transcodes running after ${((Date.now() - tTranscodes) / 1000).toFixed(1)} s; starting ${USERS} users`);

  // Transcodes running, sampled during the users' run.
  const running = [];
  const ffTimer = setInterval(() => running.push(ffmpegs()), 200);
  const pgSampler = pgConnectionSampler(postgres, 100);
  const lat = Object.fromEntries(ENDPOINTS.map((e) => [e, []]));
  const putLat = [];
  const errors = [];
  const objects = [];
  const la0 = loadavg();
  const cpu0 = procs.breakdown();

  const timed = async (name, fn) => {
    const t = performance.now();
    try { return await fn(); } finally { lat[name].push(performance.now() - t); }
  };
  const user = async (i) => {
    try { await userFlow(i); } catch (e) {
      // undici's "fetch failed" says nothing by itself: the cause (ECONNRESET, …) is what tells the story
      throw new Error(`${e.step ?? '?'}: ${e.message}${e.cause ? ` (${e.cause.code ?? ''} ${e.cause.message ?? e.cause})` : ''}`);
    }
  };
  const step = async (i, name, fn) => {
    try { return await fn(); } catch (e) { e.step ??= name; throw e; }
  };
  const userFlow = async (i) => {
    const api = apiClient(apiUrl);
    const email = `load-${process.pid}-${i}@bench.local`;
    const password = `load-password-${i}`;
    await step(i, 'register', () => timed('register', () => api.call('POST', '/api/v1/auth/register', { email, password })));
    await step(i, 'login', () => timed('login', () => api.login(email, password)));
    const body = files[i];
    const created = await step(i, 'create', () => timed('create', () => api.call('POST', '/api/v1/uploads', { fileName: `load-${i}.mp4`, size: body.length, contentType: 'video/mp4', title: `load ${i}` })));
    if (created.mode !== 'multipart') throw new Error(`expected a multipart upload, got ${created.mode}`);
    const numbers = Array.from({ length: created.partCount }, (_, k) => k + 1);
    const signed = await step(i, 'sign', () => timed('sign', () => api.call('POST', `/api/v1/uploads/${created.videoId}/parts/sign`, { partNumbers: numbers })));
    await Promise.all(signed.map(async ({ partNumber, url }) => {
      const part = body.subarray((partNumber - 1) * created.partSize, partNumber * created.partSize);
      const t = performance.now();
      const res = await step(i, `storage PUT part ${partNumber}`, () => fetch(url, { method: 'PUT', body: part, signal: AbortSignal.timeout(120_000) }));
      putLat.push(performance.now() - t);
      if (!res.ok) throw new Error(`storage PUT part ${partNumber} → ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const etag = res.headers.get('etag');
      await step(i, `record part ${partNumber}`, () => timed('record', () => api.call('PUT', `/api/v1/uploads/${created.videoId}/parts/${partNumber}`, { etag, size: part.length })));
    }));
    const video = await step(i, 'complete', () => timed('complete', () => api.call('POST', `/api/v1/uploads/${created.videoId}/complete`)));
    if (video.status !== 'processing' && video.status !== 'ready' && video.status !== 'failed') throw new Error(`complete answered status ${video.status}`);
    // objects are readable anonymously on the local S3 server: the part URL without its query is the object
    const head = await step(i, 'HEAD', () => fetch(signed[0].url.split('?')[0], { method: 'HEAD' }));
    objects.push({ i, videoId: created.videoId, status: head.status, size: Number(head.headers.get('content-length')), etag: head.headers.get('etag'), parts: created.partCount });
  };

  const t0 = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: USERS }, (_, i) => user(i)));
  const wallMs = performance.now() - t0;
  clearInterval(ffTimer);
  const pg = await pgSampler.stop();
  const cpu1 = procs.breakdown();
  const la1 = loadavg();
  outcomes.forEach((o, i) => { if (o.status === 'rejected') errors.push(`user ${i}: ${o.reason?.message ?? o.reason}`); });

  const bad = objects.filter((o) => o.status !== 200 || o.size !== FILE_BYTES || o.etag !== expectedEtags[o.i]);
  const complete = objects.length - bad.length;

  // The transcodes themselves must still end well (the load must not have broken them).
  const transcodeResults = [];
  for (const id of clipIds) {
    for (const deadline = Date.now() + 600_000; ;) {
      const v = await admin.call('GET', `/api/v1/videos/${id}`);
      if (v.status === 'ready' || v.status === 'failed') { transcodeResults.push({ id, status: v.status, error: v.lastError }); break; }
      if (Date.now() > deadline) { transcodeResults.push({ id, status: `${v.status} after 600 s` }); break; }
      await sleep(1000);
    }
  }
  const transcodesOk = transcodeResults.filter((t) => t.status === 'ready').length;

  const perEndpoint = Object.fromEntries(ENDPOINTS.map((e) => [e, { n: lat[e].length, p50: percentile(lat[e], 50), p99: percentile(lat[e], 99), max: Math.max(...lat[e]) }]));
  const cpu = Object.fromEntries(Object.keys(cpu1).map((k) => [k, cpu1[k] - cpu0[k]]));
  const result = {
    at: new Date().toISOString(), users: USERS, fileBytes: FILE_BYTES, partSize: PART_SIZE, transcodes: TRANSCODES, clipSeconds: CLIP_SECONDS,
    wallMs, errors, objects: { checked: objects.length, complete, bad }, perEndpoint,
    storagePut: { n: putLat.length, p50: percentile(putLat, 50), p99: percentile(putLat, 99) },
    db: { peak: pg.peak, peakActive: pg.peakActive, samples: pg.samples },
    transcodesRunning: { min: Math.min(...running), max: Math.max(...running), samples: running.length },
    transcodeResults, transcodesOk, cpu, loadavg: { before: la0, after: la1 },
    throughputMBps: (USERS * FILE_BYTES) / 1e6 / (wallMs / 1000),
  };
  const ok = errors.length === 0 && complete === USERS && transcodesOk === TRANSCODES;
  const lines = [
    '',
    '==================== load benchmark summary ====================',
    `stack: ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} node scripts/stack.mjs --ephemeral --stdin-lifetime --quiet ${stackArgs.join(' ')}`,
    `${USERS} users at once, each: register, login, create, sign 2 parts, PUT 2 parts (${PART_SIZE / 1e6} MB + ${(FILE_BYTES - PART_SIZE) / 1e6} MB) to storage, record 2, complete; `
      + `while ${TRANSCODES} transcodes of a ${CLIP_SECONDS} s 720p clip ran (ffmpeg ladders running during the run: min ${result.transcodesRunning.min}, max ${result.transcodesRunning.max})`,
    `wall time ${fmt(wallMs / 1000, 2)} s for ${USERS * FILE_BYTES / 1e6} MB (${fmt(result.throughputMBps, 1)} MB/s aggregate); loadavg before ${la0}, after ${la1}`,
    `errors: ${errors.length} (target 0) → ${pass(errors.length === 0)}${errors.length ? `\n    ${errors.slice(0, 10).join('\n    ')}` : ''}`,
    `objects complete (HEAD 200, size ${FILE_BYTES}, ETag = md5-of-md5s-2 of the bytes sent): ${complete}/${USERS} → ${pass(complete === USERS)}${bad.length ? ` bad: ${JSON.stringify(bad.slice(0, 5))}` : ''}`,
    `${'endpoint'.padEnd(10)} ${'n'.padStart(4)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
    ...ENDPOINTS.map((e) => `${e.padEnd(10)} ${String(perEndpoint[e].n).padStart(4)} ${fmt(perEndpoint[e].p50, 1).padStart(8)} ${fmt(perEndpoint[e].p99, 1).padStart(8)} ${fmt(perEndpoint[e].max, 1).padStart(8)}`),
    `storage PUT (not the API)  n ${putLat.length}, p50 ${fmt(result.storagePut.p50, 0)} ms, p99 ${fmt(result.storagePut.p99, 0)} ms`,
    `PostgreSQL connections to the stack's database (pg_stat_activity, ${pg.samples} samples): peak ${pg.peak}, peak active ${pg.peakActive}`,
    `CPU seconds during the run: ${Object.entries(cpu).map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', ')}`,
    `transcodes after the load: ${transcodesOk}/${TRANSCODES} ready → ${pass(transcodesOk === TRANSCODES)}${transcodesOk < TRANSCODES ? ` ${JSON.stringify(transcodeResults)}` : ''}`,
    '================================================================',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  fs.mkdirSync(path.join(repoRoot, 'tests/artifacts/bench'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, 'tests/artifacts/bench/load-users.json'), JSON.stringify(result, null, 2));
  if (!ok) throw new Error('the load run had errors (see above)');
});
