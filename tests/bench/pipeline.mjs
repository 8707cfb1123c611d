#!/usr/bin/env node
// Processing benchmarks, one run each, ratios against baselines measured in the same run:
//   (c) pipeline: the clip uploaded through the API (admin) to a stack with one worker; complete → `ready`;
//   (a) bare:     the worker's exact command for that file (FfmpegCommandBuilder.BuildLadder's output, printed by
//                 `StreamForge.Worker.dll plan-ffmpeg` with the same Media__Preset: every rung, the sprites and
//                 the poster), run by hand on the local file;
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
  runMain, startStack, apiClient, tempDir, log, childPids, which, fmt, pass, sleep, percentile,
  procStatusKb, resetPeakRss, repoRoot, stackProcesses, waitQuiet, childrenCpuSeconds,
} from './lib/common.mjs';
import { completeAndWait, ffmpegGen, jobOf, mustRun, phase, uploadFile, watchFfmpeg } from './lib/media.mjs';
import { parseLadder, planLadder, singleRungArgs, thumbnailArgs } from './lib/ladder.mjs';

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

  // (c) through the API (the worker's ffmpeg/ffprobe children are sampled for the stage timeline only).
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

  // (a) bare: the worker's ladder command for this file, from the product, by hand on the local file.
  const outDir = path.join(work, 'out');
  const plan = await planLadder(clip, path.join(outDir, 'ladder'), { preset: PRESET });
  const ladderArgs = plan.arguments;
  const workerLadder = [plan.fileName, ...ladderArgs];
  const parsed = parseLadder(ladderArgs);
  const rungs = parsed.rungSizes;
  const presetSeen = ladderArgs[ladderArgs.indexOf('-preset') + 1];
  if (presetSeen !== PRESET) throw new Error(`the planned ladder uses -preset ${presetSeen}, expected ${PRESET}`);
  // the same file through the worker must have given the same ladder
  const ranRungs = c.video.renditions?.length;
  if (ranRungs !== rungs.length) throw new Error(`the worker made ${ranRungs} renditions, the plan has ${rungs.length}`);
  log('pipeline', `worker's ladder command (${rungs.length} rungs ${rungs.join(', ')}): ${ladderArgs.join(' ')}`);
  log('pipeline', `(a) bare ladder: ffmpeg ${ladderArgs.join(' ')}`);
  const aPhase = await phase('(a)', childrenCpuSeconds, () => mustRun('bare ladder', plan.fileName, ladderArgs, { capture: false }), procs.cpu);
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
    resetPeakRss(workerPid);
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
    at: new Date().toISOString(), clipSeconds: CLIP_SECONDS, preset: PRESET, workerLadderArgs: workerLadder, ffmpegSeen: seen, cTimeline,
    a: { wallMs: a.wallMs, cpuS: a.cpuS, otherCores: aPhase.otherCores }, b: { otherCores: bPhase.otherCores, runs: naive.map((r) => ({ wallMs: r.wallMs, cpuS: r.cpuS })), thumbnails: { wallMs: thumbsRun.wallMs, cpuS: thumbsRun.cpuS } },
    c: { wallMs: cWall, cpuS: cPhase.ownCpuS, cpuBreakdown: cBreakdown, otherCores: cPhase.otherCores, acceptedMs: c.tAccepted - c.t0, job: cJob }, pickups, mem,
  }, null, 2));
});
