#!/usr/bin/env node
// Processing benchmarks, one run each, ratios against baselines measured in the same run:
//   (c) pipeline: the clip uploaded through the API (admin) to a stack with one worker; complete → `ready`
//                 (run first: while it runs, the worker's ffmpeg command lines are read from /proc/<pid>/cmdline);
//   (a) bare:     that exact command (FfmpegCommandBuilder.BuildLadder's output, as the worker ran it: every
//                 rung, the sprites and the poster), run by hand on the local file, only the paths changed;
//   (b) naive:    one ffmpeg per rung, derived from it as BuildLadder would build a one-rung ladder (same
//                 scale/bitrates/keyframe flags, each process decodes the source again; audio once, with the
//                 first rung), then one more for the same sprites and poster; sequential.
//   pickup latency over N small uploads with an idle worker; worker peak memory (VmHWM/VmRSS, ffmpeg excluded)
//   on a ≥ 1 GB source.
// Starts its own ephemeral stack: node scripts/stack.mjs --ephemeral --api --workers 1 --stdin-lifetime --quiet,
// with Media__Preset (env, default veryfast) passed to the worker and used for (a) and (b).
// Options: --no-build, --seconds S (60: the clip), --pickups N (10), --no-mem (skip the 1 GB run),
//          --source-preset P (x264 preset of the generated source: veryfast, camera-like; ultrafast = cheapest decode).
// Targets: c/a ≤ 1.15, a/b ≤ 0.75, pickup p50 ≤ 1 s, worker peak ≤ 250 MB.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  runMain, startStack, apiClient, tempDir, log, childPids, run, which, fmt, pass, sleep, percentile,
  procStatusKb, repoRoot, stackProcesses, waitQuiet, machineCpu, childrenCpuSeconds, videoEvents,
} from './lib/common.mjs';

const { values: opt } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '60' },
    pickups: { type: 'string', default: '10' },
    'no-mem': { type: 'boolean', default: false },
    // Phones and cameras write High-profile H.264 with CABAC, B-frames and deblocking; x264 veryfast has all
    // three. An ultrafast source (CAVLC, no B-frames, no deblocking) decodes ~2x cheaper than what users upload
    // (3.4 vs 6.6 CPU-s per 30 s of 1080p here), which understates what decoding once saves: --source-preset
    // ultrafast shows that worst case.
    'source-preset': { type: 'string', default: 'veryfast' },
  },
  strict: false,
});
const PRESET = process.env.Media__Preset || 'veryfast';
const CLIP_SECONDS = Math.min(600, Math.max(2, Number(opt.seconds)));
const PICKUPS = Math.min(50, Math.max(1, Number(opt.pickups)));
const BIG_MIN_BYTES = 1_000_000_000;

/**
 * The worker's one-process command (FfmpegCommandBuilder.BuildLadder) taken apart: the decoded source's label,
 * each rung's filters (as a one-rung ladder would scale it: from the source, without the cascade's split),
 * the sprite and poster filters, and where the DASH output and the two image outputs are in the arguments.
 */
function parseLadder(args) {
  const fc = args.indexOf('-filter_complex');
  const labels = (text) => text.match(/\[[^\]]+\]/g) ?? [];
  const chains = args[fc + 1].split(';').map((text) => {
    const m = text.match(/^((?:\[[^\]]+\])+)(.*?)((?:\[[^\]]+\])+)$/);
    if (!m) throw new Error(`unexpected filter chain in the ladder command: ${text}`);
    return { inputs: labels(m[1]), filters: m[2], outputs: labels(m[3]) };
  });
  const producing = (label) => {
    const chain = chains.find((c) => c.outputs.includes(label));
    if (!chain) throw new Error(`no filter chain writes ${label} in the ladder command`);
    return chain.filters;
  };
  const rungCount = chains.flatMap((c) => c.outputs).filter((o) => /^\[v\d+\]$/.test(o)).length;
  if (rungCount < 1) throw new Error('no rungs in the ladder command');
  const rungFilters = Array.from({ length: rungCount }, (_, i) => producing(`[v${i}]`).replace(/,split=\d+$/, ''));
  const at = (suffix) => {
    const k = args.findIndex((x) => x.endsWith(suffix));
    if (k < 0) throw new Error(`no output ending in ${suffix} in the ladder command`);
    return k;
  };
  return {
    source: chains[0].inputs[0],
    rungFilters,
    rungSizes: rungFilters.map((f) => f.match(/scale=(\d+):(\d+)/).slice(1).join('x')),
    thumbs: producing('[thumbs]'),
    poster: producing('[poster]'),
    manifestAt: at('.mpd'),
    spritesAt: at('sprite_%03d.jpg'),
    posterAt: at('poster.jpg'),
  };
}

/** The command with the worker's temp paths replaced by a local source and output folder. */
function withLocalPaths(args, parsed, source, dir) {
  const out = [...args];
  out[out.indexOf('-i') + 1] = source;
  out[parsed.manifestAt] = path.join(dir, 'dash', 'manifest.mpd');
  out[parsed.spritesAt] = path.join(dir, 'thumbs', 'sprite_%03d.jpg');
  out[parsed.posterAt] = path.join(dir, 'poster.jpg');
  for (const sub of ['dash', 'thumbs']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  return out;
}

/**
 * The naive counterpart for rung i: the DASH part of the (local) ladder command as BuildLadder would give it for
 * that one rung — scaled straight from the source, its -map/-c:v/-profile/-b:v/-maxrate/-bufsize renumbered to
 * stream 0, the same common flags (preset, forced keyframes, -sc_threshold, pix_fmt, threads), audio only with the
 * first rung — into its own folder.
 */
function singleRungArgs(ladder, parsed, i, manifestPath) {
  const out = [];
  for (let k = 0; k <= parsed.manifestAt; k++) {
    const a = ladder[k];
    const next = ladder[k + 1];
    if (a === '-filter_complex') { out.push(a, `${parsed.source}${parsed.rungFilters[i]}[v0]`); k++; continue; }
    if (a === '-map' && /^\[v\d+\]$/.test(next)) { if (next === `[v${i}]`) out.push(a, '[v0]'); k++; continue; }
    const perStream = a.match(/^-([\w]+):v:(\d+)$/);
    if (perStream) { if (Number(perStream[2]) === i) out.push(`-${perStream[1]}:v:0`, next); k++; continue; }
    if (a === '-map' || ['-c:a', '-ac', '-b:a', '-ar'].includes(a)) { if (i === 0) out.push(a, next); k++; continue; }
    if (a === '-adaptation_sets') { out.push(a, `id=0,streams=0${next.includes('streams=a') && i === 0 ? ' id=1,streams=a' : ''}`); k++; continue; }
    if (k === parsed.manifestAt) { out.push(manifestPath); continue; }
    out.push(a);
  }
  return out;
}

/** The naive thumbnails pass: the same sprite and poster outputs from one more decode of the source. */
function thumbnailArgs(ladder, parsed, dir) {
  const graph = `${parsed.source}split=2[thumbs_in][poster_in];[thumbs_in]${parsed.thumbs}[thumbs];[poster_in]${parsed.poster}[poster]`;
  const tail = ladder.slice(parsed.manifestAt + 1);
  tail[parsed.spritesAt - parsed.manifestAt - 1] = path.join(dir, 'thumbs', 'sprite_%03d.jpg');
  tail[parsed.posterAt - parsed.manifestAt - 1] = path.join(dir, 'poster.jpg');
  fs.mkdirSync(path.join(dir, 'thumbs'), { recursive: true });
  return [...ladder.slice(0, ladder.indexOf('-i') + 2), '-filter_complex', graph, ...tail];
}

/**
 * Records the ffmpeg/ffprobe processes a worker starts (sampled every 50 ms): command line, kind, and when each
 * was first and last seen (ms after t0), for a stage timeline.
 */
function watchFfmpeg(workerPid, t0 = Date.now()) {
  const seen = new Map();
  const kindOf = (args) => (path.basename(args[0]) === 'ffprobe' ? 'probe'
    : args.includes('dash') ? 'ladder' : args.some((x) => x.includes('tile=')) ? 'sprites' : args.includes('-frames:v') ? 'poster' : 'ffmpeg');
  const tick = () => {
    const now = Date.now() - t0;
    for (const p of childPids(workerPid, '')) {
      const known = seen.get(p);
      if (known) { known.end = now; continue; }
      try {
        const args = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').slice(0, -1);
        if (!/^ff(mpeg|probe)$/.test(path.basename(args[0] ?? ''))) continue;
        seen.set(p, { pid: p, kind: kindOf(args), args, start: now, end: now });
      } catch { /* gone */ }
    }
  };
  const timer = setInterval(tick, 50);
  return {
    stop() { clearInterval(timer); return [...seen.values()]; },
    timeline: () => [...seen.values()].map((x) => `${x.kind} ${(x.start / 1000).toFixed(1)}–${(x.end / 1000).toFixed(1)} s`).join(', '),
  };
}

const ffmpegGen = (out, { size, rate = 30, seconds, video, vf }) => [
  '-hide_banner', '-nostdin', '-v', 'error', '-y',
  '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`,
  '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
  ...(vf ? ['-vf', vf] : []),
  ...video, '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', out,
];

async function mustRun(what, cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  return r;
}

/** Uploads a local file through the API as docs/api.md says (single PUT or multipart, 4 parts in flight). */
async function uploadFile(api, file, { title, maxQuality } = {}) {
  const size = fs.statSync(file).size;
  const created = await api.call('POST', '/api/v1/uploads', { fileName: path.basename(file), size, contentType: 'video/mp4', title: title ?? path.basename(file), ...(maxQuality ? { maxQuality } : {}) });
  const put = async (url, body) => {
    const res = await fetch(url, { method: 'PUT', body, signal: AbortSignal.timeout(120_000) });
    if (!res.ok) throw new Error(`storage PUT → ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return res.headers.get('etag');
  };
  if (created.mode === 'single') {
    await put(created.url, fs.readFileSync(file));
    return { videoId: created.videoId, size, mode: 'single', parts: 1 };
  }
  const fh = await fs.promises.open(file, 'r');
  try {
    const numbers = Array.from({ length: created.partCount }, (_, i) => i + 1);
    const urls = new Map();
    for (let i = 0; i < numbers.length; i += 100) {
      for (const s of await api.call('POST', `/api/v1/uploads/${created.videoId}/parts/sign`, { partNumbers: numbers.slice(i, i + 100) })) urls.set(s.partNumber, s.url);
    }
    let next = 0;
    const lane = async () => {
      while (next < numbers.length) {
        const n = numbers[next++];
        const offset = (n - 1) * created.partSize;
        const len = Math.min(created.partSize, size - offset);
        const buf = Buffer.allocUnsafe(len);
        const { bytesRead } = await fh.read(buf, 0, len, offset);
        if (bytesRead !== len) throw new Error(`short read of part ${n}`);
        const etag = await put(urls.get(n), buf);
        await api.call('PUT', `/api/v1/uploads/${created.videoId}/parts/${n}`, { etag, size: len });
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
  } finally { await fh.close(); }
  return { videoId: created.videoId, size, mode: 'multipart', parts: created.partCount };
}

/**
 * POST complete, then wait for the worker's `ready` (or `failed`) event on the SSE stream, as the SPA does, and
 * confirm it with one GET. Returns client-side timings (ms); tReady is when the event arrived.
 */
async function completeAndWait(api, videoId, { timeoutMs } = {}) {
  const events = await videoEvents(api.baseUrl, api.token);
  try {
    const settled = events.until((e) => e.videoId === videoId && ['ready', 'failed'].includes(e.status), timeoutMs);
    settled.catch(() => {}); // awaited below; a rejection before then must not count as unhandled
    const t0 = Date.now();
    await api.call('POST', `/api/v1/uploads/${videoId}/complete`);
    const tAccepted = Date.now();
    const { at: tReady } = await settled;
    const v = await api.call('GET', `/api/v1/videos/${videoId}`);
    if (v.status !== 'ready') throw new Error(`video ${videoId} is ${v.status}: ${v.lastError ?? 'no error'}`);
    return { t0, tAccepted, tReady, video: v };
  } finally {
    await events.close();
  }
}

/**
 * Runs one measured phase after a quiet gate; own() = CPU seconds of what the phase runs (so far).
 * Returns { value, wallMs, ownCpuS, otherCores (busy cores not ours during the phase), gate }.
 */
async function phase(tag, own, fn, stackCpu) {
  const gate = await waitQuiet({ ownCpu: stackCpu, tag });
  if (gate.waitedS > 1) log(tag, `waited ${gate.waitedS.toFixed(0)} s for a quiet machine`);
  const m0 = machineCpu(), o0 = own(), s0 = stackCpu(), t0 = Date.now();
  const value = await fn();
  const m1 = machineCpu(), o1 = own(), s1 = stackCpu(), wallMs = Date.now() - t0;
  const ownCpuS = o1 - o0;
  const stackS = own === stackCpu ? 0 : s1 - s0;
  return { value, wallMs, ownCpuS, otherCores: Math.max(0, (m1.busy - m0.busy) - ownCpuS - stackS) / (wallMs / 1000), gate };
}

const jobOf = (api, videoId) => api.call('GET', `/api/v1/admin/jobs/${videoId}`);

await runMain(async () => {
  for (const tool of ['ffmpeg', 'ffprobe', 'dotnet']) if (!which(tool)) throw new Error(`${tool} is not installed`);
  const work = tempDir('sf-bench-pipeline-');
  const t00 = Date.now();
  const clip = path.join(work, 'clip1080p.mp4');
  const small = path.join(work, 'small.mp4');
  const big = path.join(work, 'big.mp4');

  // Setup, in parallel: the stack (builds API + worker), and the sources.
  const stackArgs = ['--api', '--workers', '1', ...(opt['no-build'] ? ['--no-build'] : [])];
  const stackP = startStack({ args: stackArgs, extraEnv: { Media__Preset: PRESET }, logFile: path.join(work, 'stack.log') });
  stackP.catch(() => {});
  const genP = (async () => {
    log('gen', `${CLIP_SECONDS} s 1080p30 clip with audio (libx264 ${opt['source-preset']} crf 18)`);
    await mustRun('clip', 'ffmpeg', ffmpegGen(clip, { size: '1920x1080', seconds: CLIP_SECONDS, video: ['-c:v', 'libx264', '-preset', opt['source-preset'], '-crf', '18'] }));
    await mustRun('small clip', 'ffmpeg', ffmpegGen(small, { size: '640x360', seconds: 2, video: ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23'] }));
    if (!opt['no-mem']) {
      // ~1.05 GB: 27 s of 1080p30 with per-frame noise at ~300 Mb/s (x264 ultrafast)
      log('gen', '≥ 1 GB source (27 s 1080p30, noise, ~300 Mb/s)');
      await mustRun('big source', 'ffmpeg', ffmpegGen(big, { size: '1920x1080', seconds: 27, vf: 'noise=alls=25:allf=t', video: ['-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '300M', '-maxrate', '300M', '-bufsize', '300M'] }));
      if (fs.statSync(big).size < BIG_MIN_BYTES) throw new Error(`big source is only ${fs.statSync(big).size} B`);
    }
  })();
  const [stack] = await Promise.all([stackP, genP]);
  const { apiUrl, env } = stack.info;
  const procs = stackProcesses(stack);
  const workerPid = procs.workers[0];
  if (!workerPid) throw new Error(`no worker process under the launcher (was the worker built?)\n${stack.logTail()}`);
  log('pipeline', `stack up: ${apiUrl}, worker pid ${workerPid}; clip ${(fs.statSync(clip).size / 1e6).toFixed(1)} MB`);

  const api = apiClient(apiUrl);
  await api.login(env.Auth__AdminEmail, env.Auth__AdminPassword);

  // One small job first (not counted): the worker's first job pays JIT and first-connection costs.
  const warm = await uploadFile(api, small, { title: 'warm-up' });
  const w = await completeAndWait(api, warm.videoId, { timeoutMs: 120_000 });
  // and the status GET the benchmark polls with, so its JIT cost does not land inside (c)
  for (let i = 0; i < 150; i++) { await api.call('GET', `/api/v1/videos/${warm.videoId}`); await jobOf(api, warm.videoId); }
  log('pipeline', `warm-up job: complete → ready ${w.tReady - w.t0} ms`);

  // (c) through the API, first: it also yields the exact ffmpeg command lines the worker runs
  // (read from /proc/<ffmpeg>/cmdline of the worker's children), which (a) and (b) then reuse.
  const up = await uploadFile(api, clip, { title: 'bench 1080p' });
  log('pipeline', `(c) uploaded ${up.videoId} (${up.mode}, ${up.parts} part(s)); completing`);
  let watch, seen = [];
  let br0 = null;
  const cPhase = await phase('(c)', procs.cpu, async () => {
    br0 = procs.breakdown();
    watch = watchFfmpeg(workerPid);
    try { return await completeAndWait(api, up.videoId, { timeoutMs: 30 * 60_000 }); } finally { seen = watch.stop(); }
  }, procs.cpu);
  const c = cPhase.value;
  const br1 = procs.breakdown();
  const cBreakdown = Object.keys(br1).map((k) => `${k} ${fmt(br1[k] - br0[k], 1)}`).join(', ');
  const cTimeline = `${watch.timeline()}, ready ${((c.tReady - c.t0) / 1000).toFixed(1)} s (sampled every 50 ms from complete sent)`;
  log('pipeline', `(c) timeline: ${cTimeline}`);
  const cJob = await jobOf(api, up.videoId);
  const cWall = c.tReady - c.t0;
  log('pipeline', `(c) complete → ready ${fmt(cWall / 1000, 1)} s (job: queue ${cJob.job.queueLatencyMs} ms, run ${cJob.job.durationMs} ms)`);
  const workerLadder = seen.find((x) => x.kind === 'ladder')?.args;
  if (!workerLadder) throw new Error(`did not see the worker's ladder ffmpeg (saw ${seen.length} ffmpeg process(es))`);
  const parsed = parseLadder(workerLadder.slice(1));
  const rungs = parsed.rungSizes;
  const presetSeen = workerLadder[workerLadder.indexOf('-preset') + 1];
  if (presetSeen !== PRESET) throw new Error(`the worker ran -preset ${presetSeen}, expected ${PRESET}`);
  log('pipeline', `worker's ladder command (${rungs.length} rungs ${rungs.join(', ')}): ${workerLadder.slice(1).join(' ')}`);

  // (a) bare: the exact ladder command, by hand on the local file.
  const outDir = path.join(work, 'out');
  const ladderArgs = withLocalPaths(workerLadder.slice(1), parsed, clip, path.join(outDir, 'ladder'));
  log('pipeline', `(a) bare ladder: ffmpeg ${ladderArgs.join(' ')}`);
  const aPhase = await phase('(a)', childrenCpuSeconds, () => mustRun('bare ladder', 'ffmpeg', ladderArgs, { capture: false }), procs.cpu);
  const a = aPhase.value;
  for (const f of ['dash/manifest.mpd', 'thumbs/sprite_001.jpg', 'poster.jpg']) {
    if (!fs.existsSync(path.join(outDir, 'ladder', f))) throw new Error(`the bare ladder wrote no ${f}`);
  }
  log('pipeline', `(a) ${fmt(a.wallMs / 1000, 1)} s wall, ${fmt(a.cpuS, 1)} s CPU`);

  // (b) naive: one ffmpeg per rung, then one for the sprites and poster (the same outputs as (a)), sequential.
  const naive = [];
  let thumbsRun;
  const bPhase = await phase('(b)', childrenCpuSeconds, async () => {
    for (let i = 0; i < rungs.length; i++) {
      const dir = path.join(outDir, `naive-${i}`);
      fs.mkdirSync(dir, { recursive: true });
      const args = singleRungArgs(ladderArgs, parsed, i, path.join(dir, 'manifest.mpd'));
      log('pipeline', `(b) naive rung ${rungs[i]}: ffmpeg ${args.join(' ')}`);
      naive.push(await mustRun('naive rung', 'ffmpeg', args, { capture: false }));
      if (!fs.existsSync(path.join(dir, 'manifest.mpd'))) throw new Error(`naive run wrote no ${dir}/manifest.mpd`);
    }
    const dir = path.join(outDir, 'naive-thumbs');
    const args = thumbnailArgs(ladderArgs, parsed, dir);
    log('pipeline', `(b) naive thumbnails: ffmpeg ${args.join(' ')}`);
    thumbsRun = await mustRun('naive thumbnails', 'ffmpeg', args, { capture: false });
    if (!fs.existsSync(path.join(dir, 'poster.jpg'))) throw new Error(`naive thumbnails wrote no ${dir}/poster.jpg`);
  }, procs.cpu);
  const rungsWall = naive.reduce((s, r) => s + r.wallMs, 0);
  const bWall = rungsWall + thumbsRun.wallMs;
  const bCpu = naive.reduce((s, r) => s + r.cpuS, 0) + thumbsRun.cpuS;
  log('pipeline', `(b) ${fmt(bWall / 1000, 1)} s wall (${naive.map((r) => fmt(r.wallMs / 1000, 1)).join(' + ')} + thumbnails ${fmt(thumbsRun.wallMs / 1000, 1)}), ${fmt(bCpu, 1)} s CPU`);
  fs.rmSync(outDir, { recursive: true, force: true });

  // Pickup latency: small uploads, one at a time, the worker idle for 0.5–3 s before each.
  await waitQuiet({ ownCpu: procs.cpu, tag: 'pickup' });
  const pickups = [];
  const idle = [1500, 2500, 700, 3000, 1200, 2000, 500, 2800, 1000, 1800];
  for (let i = 0; i < PICKUPS; i++) {
    const u = await uploadFile(api, small, { title: `pickup ${i + 1}` });
    await sleep(idle[i % idle.length]);
    const r = await completeAndWait(api, u.videoId, { timeoutMs: 120_000 });
    const j = await jobOf(api, u.videoId);
    const startedAt = Date.parse(j.attempts[0].startedAt);
    pickups.push({ client: startedAt - r.t0, server: j.job.queueLatencyMs, ready: r.tReady - r.t0 });
  }
  const pc = pickups.map((p) => p.client), ps = pickups.map((p) => p.server), pr = pickups.map((p) => p.ready);
  log('pipeline', `pickup (complete sent → startedAt) ms: ${pc.join(', ')}`);

  // Worker peak memory on a ≥ 1 GB source (ffmpeg is a child process: not counted in the worker's RSS).
  let mem = null;
  if (!opt['no-mem']) {
    const bigUp = await uploadFile(api, big, { title: 'bench 1 GB' });
    await waitQuiet({ ownCpu: procs.cpu, tag: 'memory' });
    log('pipeline', `memory: uploaded ${(bigUp.size / 1e9).toFixed(2)} GB in ${bigUp.parts} parts; worker pid ${workerPid}`);
    const before = procStatusKb(workerPid, 'VmRSS', 'VmHWM');
    fs.writeFileSync(`/proc/${workerPid}/clear_refs`, '5'); // reset VmHWM to the current RSS
    const afterReset = procStatusKb(workerPid, 'VmHWM');
    let peakRss = 0, peakFfmpeg = 0;
    const sample = () => {
      try { peakRss = Math.max(peakRss, procStatusKb(workerPid, 'VmRSS').VmRSS); } catch { /* gone */ }
      for (const p of childPids(workerPid, 'ffmpeg')) { try { peakFfmpeg = Math.max(peakFfmpeg, procStatusKb(p, 'VmRSS').VmRSS ?? 0); } catch { /* gone */ } }
    };
    const timer = setInterval(sample, 100);
    const mWatch = watchFfmpeg(workerPid);
    let m;
    try { m = await completeAndWait(api, bigUp.videoId, { timeoutMs: 30 * 60_000 }); } finally { clearInterval(timer); mWatch.stop(); }
    sample();
    const after = procStatusKb(workerPid, 'VmRSS', 'VmHWM');
    const mJob = await jobOf(api, bigUp.videoId);
    mem = { before, afterReset, after, peakRss, peakFfmpeg, wallMs: m.tReady - m.t0, job: mJob.job, size: bigUp.size, parts: bigUp.parts, video: m.video, timeline: mWatch.timeline() };
    log('pipeline', `memory: worker VmHWM ${after.VmHWM} kB (sampled peak VmRSS ${peakRss} kB), ffmpeg peak ${peakFfmpeg} kB, ${fmt(mem.wallMs / 1000, 1)} s`);
  }

  const ca = cWall / a.wallMs, ab = a.wallMs / bWall;
  const MB = (kb) => (kb / 1024).toFixed(0);
  const peakKb = mem ? Math.max(mem.after.VmHWM, mem.peakRss) : null;
  const lines = [
    '',
    '================== pipeline benchmark summary ==================',
    `stack: Media__Preset=${PRESET} node scripts/stack.mjs --ephemeral --stdin-lifetime --quiet ${stackArgs.join(' ')}`,
    `clip: ${CLIP_SECONDS} s 1920x1080 30 fps + 440 Hz AAC, libx264 ${opt['source-preset']} crf 18, ${(up.size / 1e6).toFixed(1)} MB (${up.mode} upload, ${up.parts} part(s)); ladder ${rungs.join('/')}, preset ${PRESET}`,
    `(a) bare ladder, one ffmpeg (the worker's BuildLadder args):  ${fmt(a.wallMs / 1000, 1).padStart(6)} s wall, ${fmt(a.cpuS, 1).padStart(6)} s CPU; other processes ${fmt(aPhase.otherCores, 2)} cores`,
    `(b) naive, one ffmpeg per rung + one for thumbnails:        ${fmt(bWall / 1000, 1).padStart(6)} s wall, ${fmt(bCpu, 1).padStart(6)} s CPU; other processes ${fmt(bPhase.otherCores, 2)} cores  (${naive.map((r, i) => `${rungs[i]} ${fmt(r.wallMs / 1000, 1)}`).join(', ')}, thumbnails ${fmt(thumbsRun.wallMs / 1000, 1)})`,
    `(c) pipeline, complete → ready event (SSE):                    ${fmt(cWall / 1000, 1).padStart(6)} s wall, ${fmt(cPhase.ownCpuS, 1).padStart(6)} s CPU (stack: worker + ffmpeg + API + postgres + S3); other processes ${fmt(cPhase.otherCores, 2)} cores`,
    `    (c) CPU seconds by process: ${cBreakdown} (ffmpeg = the worker's ffprobe/ffmpeg children; launcher = CDN, and the S3 server unless s3 is listed)`,
    `    (c) job: complete answered in ${c.tAccepted - c.t0} ms, queue ${cJob.job.queueLatencyMs} ms, run ${cJob.job.durationMs} ms (download → probe → ladder with thumbnails → upload → ready)`,
    `    (c) stages: ${cTimeline}`,
    `c/a = ${fmt(ca, 3)} wall (target ≤ 1.15) → ${pass(ca <= 1.15)};  CPU: ${fmt(cPhase.ownCpuS / a.cpuS, 3)}`,
    `a/b = ${fmt(ab, 3)} wall (target ≤ 0.75) → ${pass(ab <= 0.75)};  CPU: ${fmt(a.cpuS / bCpu, 3)}`,
    `    against the naive rungs alone (no thumbnail pass, while (a) also writes thumbnails): ${fmt(a.wallMs / rungsWall, 3)} wall`,
    ...(Math.max(aPhase.otherCores, bPhase.otherCores, cPhase.otherCores) > 0.3 ? ['    WARNING: other processes used > 0.3 cores during a phase: the wall-time ratios are skewed by that load'] : []),
    `pickup latency over ${PICKUPS} × 2 s uploads, idle worker: complete sent → attempt startedAt p50 ${fmt(percentile(pc, 50), 0)} ms, max ${fmt(Math.max(...pc), 0)} ms; `
      + `server queueLatencyMs p50 ${fmt(percentile(ps, 50), 0)}, max ${fmt(Math.max(...ps), 0)}; complete → ready p50 ${fmt(percentile(pr, 50), 0)} ms  (target p50 ≤ 1 s) → ${pass(percentile(pc, 50) <= 1000)}`,
    ...(mem ? [
      `worker memory, ${(mem.size / 1e9).toFixed(2)} GB source (${mem.parts} parts, ${mem.video.durationSeconds} s 1080p ~300 Mb/s, preset ${PRESET}, full ladder; complete → ready ${fmt(mem.wallMs / 1000, 1)} s):`,
      `    worker VmHWM ${MB(mem.after.VmHWM)} MB (reset to ${MB(mem.afterReset.VmHWM)} MB before the job; lifetime peak before the reset ${MB(mem.before.VmHWM)} MB), sampled peak VmRSS ${MB(mem.peakRss)} MB, after ${MB(mem.after.VmRSS)} MB; ffmpeg children peak ${MB(mem.peakFfmpeg)} MB (not counted)`,
      `    stages: ${mem.timeline}, ready ${fmt(mem.wallMs / 1000, 1)} s`,
      `    peak ${MB(peakKb)} MB (target ≤ 250 MB) → ${pass(peakKb <= 250 * 1024)}`,
    ] : ['worker memory: skipped (--no-mem)']),
    `total run time ${fmt((Date.now() - t00) / 1000, 0)} s`,
    '================================================================',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  fs.mkdirSync(path.join(repoRoot, 'tests/artifacts/bench'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, 'tests/artifacts/bench/pipeline.json'), JSON.stringify({
    at: new Date().toISOString(), preset: PRESET, workerLadderArgs: workerLadder, ffmpegSeen: seen, cTimeline,
    a: { wallMs: a.wallMs, cpuS: a.cpuS, otherCores: aPhase.otherCores }, b: { otherCores: bPhase.otherCores, runs: naive.map((r) => ({ wallMs: r.wallMs, cpuS: r.cpuS })), thumbnails: { wallMs: thumbsRun.wallMs, cpuS: thumbsRun.cpuS } },
    c: { wallMs: cWall, cpuS: cPhase.ownCpuS, cpuBreakdown: cBreakdown, otherCores: cPhase.otherCores, acceptedMs: c.tAccepted - c.t0, job: cJob }, pickups, mem,
  }, null, 2));
});
