#!/usr/bin/env node
// Processing benchmarks, ratios against baselines measured in the same run, for 30 s, 2 min and 10 min sources
// (generated 1080p30 with audio, camera-like: x264 veryfast crf 18, High profile with CABAC and B-frames):
//   ours:     the source uploaded through the API (admin) to a stack with one worker; complete sent → `ready` event;
//             CPU-seconds of the worker's process tree (the worker and its ffprobe/ffmpeg children, /proc);
//   bare:     the worker's exact command for that file (FfmpegCommandBuilder.BuildLadder's output, printed by
//             `StreamForge.Worker.dll plan-ffmpeg` with the same Media__Preset: every rung, the sprites and the
//             poster), run by hand on the local file; CPU-seconds of that ffmpeg process;
//   per-rung: one ffmpeg per rung, derived from it as BuildLadder would build a one-rung ladder (same
//             scale/bitrates/keyframe flags, each process decodes the source again; audio once, with the first
//             rung), then one more for the same sprites and poster; sequential; wall and CPU-s of each.
// Every length runs R rounds (--rounds, 3; --rounds-long, 1, for sources of --long-from, 5 min, or more), the legs in rotating
// order (ours, bare, per-rung; then bare, per-rung, ours; …), after one uncounted warm-up round of all three legs
// on a short source. Each leg starts once the machine is quiet (or after BENCH_QUIET_WAIT s) and records the cores
// other processes used while it ran; each length records the load (scripts/lib/bench-load.mjs) while its rounds ran.
// Ratios are paired: taken per round, then their median and min–max.
// Also: pickup latency over N small uploads with an idle worker; worker peak memory (VmHWM/VmRSS, ffmpeg excluded)
// on a ≥ 1 GB source.
// Starts its own ephemeral stack: node scripts/stack.mjs --ephemeral --api --workers 1 --stdin-lifetime --quiet,
// with Media__Preset (env, default veryfast) passed to the worker and used for bare and per-rung.
// Options: --no-build, --lengths 30,120,600 (seconds), --rounds N (3), --rounds-long N (1) for sources of
//          --long-from S (300) seconds or more, --pickups N (10),
//          --no-mem (skip the 1 GB run), --source-preset P (x264 preset of the generated sources).
// Targets (scripts/lib/bench-table.mjs): complete → ready ≤ 1.05 × bare at every length; one decode ≤ 0.65 ×
// per-rung in CPU-seconds; pickup p50 ≤ 1 s; worker peak ≤ 250 MB. The summary printed is the table's own rows.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  runMain, startStack, apiClient, tempDir, log, childPids, which, fmt, sleep,
  procStatusKb, resetPeakRss, repoRoot, stackProcesses, waitQuiet, childrenCpuSeconds, startLoadSampler, treeCpuSeconds, loadavg,
} from './lib/common.mjs';
import { completeAndWait, ffmpegGen, jobOf, mustRun, phase, uploadFile, watchFfmpeg } from './lib/media.mjs';
import { parseLadder, planLadder, singleRungArgs, thumbnailArgs } from './lib/ladder.mjs';
import { legOrder, pairedRatio, spreadOf } from './lib/rounds.mjs';
import { tableRows, textTable } from '../../scripts/lib/bench-table.mjs';

const { values: opt } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    lengths: { type: 'string', default: '30,120,600' },
    rounds: { type: 'string', default: '3' },
    'rounds-long': { type: 'string', default: '1' },
    // sources at least this long get --rounds-long rounds (a 10-minute source takes ~30 min a round on 2 cores)
    'long-from': { type: 'string', default: '300' },
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
const LENGTHS = [...new Set(String(opt.lengths).split(',').map(Number).filter((n) => n > 0).map((n) => Math.min(1800, Math.max(2, Math.round(n)))))];
if (!LENGTHS.length) throw new Error(`--lengths ${opt.lengths}: no lengths`);
const LONG_FROM_S = Math.max(1, Number(opt['long-from']) || 300);
const ROUNDS = Math.min(20, Math.max(1, Number(opt.rounds) || 3));
const ROUNDS_LONG = Math.min(20, Math.max(1, Number(opt['rounds-long']) || 1));
const roundsFor = (seconds) => (seconds >= LONG_FROM_S ? ROUNDS_LONG : ROUNDS);
const PICKUPS = Math.min(50, Math.max(1, Number(opt.pickups)));
const BIG_MIN_BYTES = 1_000_000_000;
const WARMUP_SECONDS = 6;
const LEGS = ['ours', 'bare', 'perRung'];
const len = (seconds) => (seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`);

await runMain(async () => {
  for (const tool of ['ffmpeg', 'ffprobe', 'dotnet']) if (!which(tool)) throw new Error(`${tool} is not installed`);
  const work = tempDir('sf-bench-pipeline-');
  const t00 = Date.now();
  const sourceOf = (seconds) => path.join(work, `source-${seconds}s-1080p.mp4`);
  const warmSource = path.join(work, `warmup-${WARMUP_SECONDS}s-1080p.mp4`);
  const small = path.join(work, 'small.mp4');
  const big = path.join(work, 'big.mp4');

  // Setup, in parallel: the stack (builds API + worker), and the sources (one after another: ffmpeg uses both cores).
  const stackArgs = ['--api', '--workers', '1', ...(opt['no-build'] ? ['--no-build'] : [])];
  const stackP = startStack({ args: stackArgs, extraEnv: { Media__Preset: PRESET }, logFile: path.join(work, 'stack.log') });
  stackP.catch(() => {});
  const camera = ['-c:v', 'libx264', '-preset', opt['source-preset'], '-crf', '18'];
  const genP = (async () => {
    for (const [file, seconds] of [[warmSource, WARMUP_SECONDS], ...LENGTHS.map((x) => [sourceOf(x), x])]) {
      log('gen', `${seconds} s 1080p30 source with audio (libx264 ${opt['source-preset']} crf 18)`);
      await mustRun('source', 'ffmpeg', ffmpegGen(file, { size: '1920x1080', seconds, video: camera }));
    }
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
  log('pipeline', `stack up: ${apiUrl}, worker pid ${workerPid}; lengths ${LENGTHS.map(len).join(', ')}, rounds ${LENGTHS.map(roundsFor).join('/')}`);

  const api = apiClient(apiUrl);
  const login = () => api.login(env.Auth__AdminEmail, env.Auth__AdminPassword);
  await login();

  // One small job first (not counted): the worker's first job pays JIT and first-connection costs.
  const warm = await uploadFile(api, small, { title: 'warm-up' });
  const w = await completeAndWait(api, warm.videoId, { timeoutMs: 120_000 });
  // and the status GET the benchmark polls with, so its JIT cost does not land inside a measured leg
  for (let i = 0; i < 150; i++) { await api.call('GET', `/api/v1/videos/${warm.videoId}`); await jobOf(api, warm.videoId); }
  log('pipeline', `warm-up job: complete → ready ${w.tReady - w.t0} ms`);

  /** The worker's ladder for a source, planned into a fresh folder (outside any measured phase). */
  let planCount = 0;
  const planFresh = async (source) => {
    const dir = path.join(work, 'out', String(++planCount));
    const plan = await planLadder(source, path.join(dir, 'ladder'), { preset: PRESET });
    const presetSeen = plan.arguments[plan.arguments.indexOf('-preset') + 1];
    if (presetSeen !== PRESET) throw new Error(`the planned ladder uses -preset ${presetSeen}, expected ${PRESET}`);
    return { dir, plan, parsed: parseLadder(plan.arguments) };
  };
  const clean = (dir) => fs.rmSync(dir, { recursive: true, force: true });

  /** ours: upload (not timed), then complete sent → `ready` event through the stack with one worker. */
  const ours = async (source, { tag, rungs }) => {
    await login(); // a fresh token per leg: a 10-minute source is followed for longer than a token lives
    const up = await uploadFile(api, source, { title: tag });
    let watch, br0, w0, w1, br1, seen = [];
    const ph = await phase(`${tag} ours`, procs.cpu, async () => {
      br0 = procs.breakdown();
      w0 = treeCpuSeconds(workerPid);
      watch = watchFfmpeg(workerPid);
      try { return await completeAndWait(api, up.videoId, { timeoutMs: 60 * 60_000, relogin: login }); } finally {
        w1 = treeCpuSeconds(workerPid);
        br1 = procs.breakdown();
        seen = watch.stop();
      }
    }, procs.cpu);
    const c = ph.value;
    const made = c.video.renditions?.length;
    if (made !== rungs.length) throw new Error(`the worker made ${made} renditions, the plan has ${rungs.length} (${rungs.join(', ')})`);
    await login(); // the leg may have outlived the token it started with
    const job = (await jobOf(api, up.videoId)).job;
    // where the time around the worker's ffmpeg goes (sampled every 50 ms from complete sent): before it
    // (queue, download, probe) and after it (upload of the outputs, ready)
    const ladder = seen.filter((x) => x.kind === 'ladder');
    const wallMs = c.tReady - c.t0;
    const stages = ladder.length ? { beforeMs: ladder[0].start, ffmpegMs: ladder.at(-1).end - ladder[0].start, afterMs: wallMs - ladder.at(-1).end, ffmpegRuns: ladder.length } : null;
    return {
      videoId: up.videoId, wallMs, cpuS: w1 - w0, stages, stackCpuS: ph.ownCpuS, otherCores: ph.otherCores,
      cpuByProcess: Object.fromEntries(Object.keys(br1).map((k) => [k, Math.round((br1[k] - br0[k]) * 100) / 100])),
      acceptedMs: c.tAccepted - c.t0, queueMs: job.queueLatencyMs, runMs: job.durationMs, timeline: watch.timeline(),
      upload: { mode: up.mode, parts: up.parts, bytes: up.size },
    };
  };

  /** bare: the worker's ladder command, by hand, on the local file. */
  const bare = async (source, { tag }) => {
    const { dir, plan } = await planFresh(source);
    try {
      const ph = await phase(`${tag} bare`, childrenCpuSeconds, () => mustRun('bare ladder', plan.fileName, plan.arguments, { capture: false }), procs.cpu);
      for (const f of ['dash/manifest.mpd', 'thumbs/sprite_001.jpg', 'poster.jpg']) {
        if (!fs.existsSync(path.join(dir, 'ladder', f))) throw new Error(`the bare ladder wrote no ${f}`);
      }
      return { wallMs: ph.value.wallMs, cpuS: ph.value.cpuS, otherCores: ph.otherCores };
    } finally { clean(dir); }
  };

  /** per-rung: one ffmpeg per rung, then one for the sprites and poster (the same outputs as bare), sequential. */
  const perRung = async (source, { tag, rungs }) => {
    const { dir, plan, parsed } = await planFresh(source);
    try {
      const runs = [];
      let thumbs;
      const ph = await phase(`${tag} per-rung`, childrenCpuSeconds, async () => {
        for (let i = 0; i < rungs.length; i++) {
          const rungDir = path.join(dir, `rung-${i}`);
          fs.mkdirSync(rungDir, { recursive: true });
          const args = singleRungArgs(plan.arguments, parsed, i, path.join(rungDir, 'manifest.mpd'));
          const r = await mustRun(`rung ${rungs[i]}`, plan.fileName, args, { capture: false });
          if (!fs.existsSync(path.join(rungDir, 'manifest.mpd'))) throw new Error(`rung ${rungs[i]} wrote no manifest.mpd`);
          runs.push({ size: rungs[i], wallMs: r.wallMs, cpuS: r.cpuS });
        }
        const thumbsDir = path.join(dir, 'thumbs-pass');
        thumbs = await mustRun('thumbnails', plan.fileName, thumbnailArgs(plan.arguments, parsed, thumbsDir), { capture: false });
        if (!fs.existsSync(path.join(thumbsDir, 'poster.jpg'))) throw new Error('the thumbnails pass wrote no poster.jpg');
      }, procs.cpu);
      const sum = (k) => runs.reduce((a, r) => a + r[k], 0);
      return {
        wallMs: sum('wallMs') + thumbs.wallMs, cpuS: sum('cpuS') + thumbs.cpuS, otherCores: ph.otherCores,
        rungsOnly: { wallMs: sum('wallMs'), cpuS: sum('cpuS') }, rungs: runs, thumbnails: { wallMs: thumbs.wallMs, cpuS: thumbs.cpuS },
      };
    } finally { clean(dir); }
  };
  const LEG = { ours, bare, perRung };

  const legsOfLength = async (source, seconds, rounds, tagBase, turn) => {
    const { dir, plan, parsed } = await planFresh(source);
    clean(dir);
    const rungs = parsed.rungSizes;
    log('pipeline', `${tagBase}: worker's ladder (${rungs.length} rungs ${rungs.join(', ')}): ${plan.fileName} ${plan.arguments.join(' ')}`);
    const out = [];
    for (let k = 0; k < rounds; k++) {
      const order = legOrder(LEGS, turn.next++);
      const round = { order, loadavgStart: loadavg() };
      for (const leg of order) {
        const tag = `${tagBase} r${k + 1}`;
        round[leg] = await LEG[leg](source, { tag, rungs });
        log('pipeline', `${tag} ${leg}: ${fmt(round[leg].wallMs / 1000, 1)} s wall, ${fmt(round[leg].cpuS, 1)} CPU-s; other processes ${fmt(round[leg].otherCores, 2)} cores`);
      }
      out.push(round);
    }
    return { rungs, ladderArgs: [plan.fileName, ...plan.arguments], rounds: out };
  };
  const turn = { next: 0 };

  // Warm-up round (not counted): every leg once on a short source, so the first measured leg does not pay for the
  // first ffmpeg start from a cold page cache or the first job of this size through the stack.
  const warmup = await legsOfLength(warmSource, WARMUP_SECONDS, 1, 'warm-up', turn);

  const lengths = [];
  for (const seconds of LENGTHS) {
    const source = sourceOf(seconds);
    const rounds = roundsFor(seconds);
    const load = startLoadSampler({ intervalMs: 5000 });
    const t0 = Date.now();
    const r = await legsOfLength(source, seconds, rounds, len(seconds), turn);
    const { series, ...loadSummary } = load.stop();
    const R = r.rounds;
    const at = (leg, pick) => spreadOf(R.map((x) => pick(x[leg])));
    const rungSpread = r.rungs.map((size, i) => ({ size, wallMs: spreadOf(R.map((x) => x.perRung.rungs[i].wallMs)), cpuS: spreadOf(R.map((x) => x.perRung.rungs[i].cpuS)) }));
    lengths.push({
      seconds, bytes: fs.statSync(source).size, rungs: r.rungs, ladderArgs: r.ladderArgs, rounds: R, minutes: (Date.now() - t0) / 60000,
      load: { ...loadSummary, series },
      summary: {
        n: R.length,
        ours: {
          wallMs: at('ours', (x) => x.wallMs), cpuS: at('ours', (x) => x.cpuS), stackCpuS: at('ours', (x) => x.stackCpuS), otherCores: at('ours', (x) => x.otherCores),
          stages: Object.fromEntries(['beforeMs', 'ffmpegMs', 'afterMs'].map((k) => [k, at('ours', (x) => x.stages?.[k] ?? NaN)])),
        },
        bare: { wallMs: at('bare', (x) => x.wallMs), cpuS: at('bare', (x) => x.cpuS), otherCores: at('bare', (x) => x.otherCores) },
        perRung: {
          wallMs: at('perRung', (x) => x.wallMs), cpuS: at('perRung', (x) => x.cpuS), otherCores: at('perRung', (x) => x.otherCores),
          rungsOnly: { wallMs: at('perRung', (x) => x.rungsOnly.wallMs), cpuS: at('perRung', (x) => x.rungsOnly.cpuS) },
          rungs: rungSpread,
          thumbnails: { wallMs: at('perRung', (x) => x.thumbnails.wallMs), cpuS: at('perRung', (x) => x.thumbnails.cpuS) },
        },
        ratios: {
          oursOverBareWall: pairedRatio(R, 'ours', 'bare', (x) => x.wallMs),
          oursOverBareCpu: pairedRatio(R, 'ours', 'bare', (x) => x.cpuS),
          bareOverPerRungCpu: pairedRatio(R, 'bare', 'perRung', (x) => x.cpuS),
          bareOverPerRungWall: pairedRatio(R, 'bare', 'perRung', (x) => x.wallMs),
          bareOverRungsOnlyCpu: pairedRatio(R, 'bare', 'perRung', (x) => (x.rungsOnly ? x.rungsOnly.cpuS : x.cpuS)),
        },
      },
    });
    log('pipeline', `${len(seconds)}: ${R.length} round(s) in ${fmt((Date.now() - t0) / 60000, 1)} min; other processes ${loadSummary.otherCores.median} cores median (${loadSummary.quiet ? 'quiet' : 'NOT quiet'})`);
  }

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


  const result = {
    at: new Date().toISOString(), preset: PRESET, sourcePreset: opt['source-preset'], rounds: ROUNDS, roundsLong: ROUNDS_LONG, longFromSeconds: LONG_FROM_S,
    stack: `Media__Preset=${PRESET} node scripts/stack.mjs --ephemeral --stdin-lifetime --quiet ${stackArgs.join(' ')}`,
    source: '1920x1080 30 fps testsrc2 + 440 Hz AAC 128k',
    warmup: { seconds: WARMUP_SECONDS, rounds: warmup.rounds },
    lengths, pickups, mem, minutes: (Date.now() - t00) / 60000,
  };
  fs.mkdirSync(path.join(repoRoot, 'tests/artifacts/bench'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, 'tests/artifacts/bench/pipeline.json'), JSON.stringify(result, null, 2));
  const rows = tableRows({ pipeline: result }, { fresh: new Set(['pipeline']) }).filter((r) => r.group.startsWith('pipeline'));
  process.stdout.write(`\n================== pipeline benchmark summary ==================\n${result.stack}\n${textTable(rows)}\n`
    + `total run time ${fmt(result.minutes, 1)} min\n`);
});
