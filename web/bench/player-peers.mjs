#!/usr/bin/env node
// Our player against Shaka Player (npm) on the same video, in the same Chromium, from the same CDN: a clip
// processed by the real worker, then
//  - time to first frame, cold (a fresh browser context each time: empty HTTP cache), from navigation start to
//    the first presented frame (requestVideoFrameCallback), our watch page vs web/bench/pages/shaka.html on the
//    worker's manifest.mpd; N rounds alternating which goes first, after one uncounted load of each;
//  - seek-to-playing (first frame at the target while playing) over seeks into unbuffered time, both players;
//  - stalls (`waiting` after the first frame) while the whole clip plays at 1x, both players.
//   node web/bench/player-peers.mjs [--no-build] [--rounds N (5)] [--clip-seconds S (60)] [--no-playthrough]
// Stack: scripts/stack.mjs --ephemeral --api --workers 1 --build-web. Writes tests/artifacts/bench/player-peers.json.
// Targets (ours): first frame ≤ 1000 ms, seek ≤ 500 ms, 0 stalls; and no slower than Shaka (ratio ≤ 1.0).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { apiClient, browserCookies, CHROMIUM, CHROMIUM_ARGS, median, repoRoot, startStack } from './lib.mjs';
import { openPlayer, playerProbe, playThrough, processClip, seeks } from './player.mjs';
import { buildBenchPages } from './pages/build.mjs';
import { loadavg, waitQuiet } from '../../scripts/lib/machine.mjs';

const { values: opt } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    'clip-seconds': { type: 'string', default: '60' },
    'no-playthrough': { type: 'boolean', default: false },
    'quiet-wait': { type: 'string', default: '10' },
  },
  strict: false,
});
if (opt['no-build']) process.env.E2E_NO_BUILD = '1';
const ROUNDS = Math.max(1, Number(opt.rounds));
const CLIP_SECONDS = Math.max(10, Number(opt['clip-seconds']));
const QUIET_WAIT_S = Math.max(0, Number(opt['quiet-wait']));
const TARGETS = { firstFrameMs: 1000, seekMs: 500, stalls: 0 };
const artifacts = path.join(repoRoot, 'tests/artifacts/bench');
const log = (...a) => process.stderr.write(`[player-peers] ${a.join(' ')}\n`);
const fixed = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

function makeClip() {
  const file = path.join(os.tmpdir(), `sf-bench-player-${process.pid}.mp4`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(CLIP_SECONDS), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', file]);
  return file;
}

const stack = startStack({ logFile: path.join(artifacts, 'player-peers-stack.log'), workers: 1 });
let browser;
let clip;
let exitCode = 0;
try {
  fs.mkdirSync(artifacts, { recursive: true });
  log(`making a ${CLIP_SECONDS} s 1080p clip`);
  clip = makeClip();
  const info = await stack.ready;
  await buildBenchPages();
  const admin = apiClient(info.apiUrl);
  await admin.login(info.env.Auth__AdminEmail, info.env.Auth__AdminPassword);
  const { video, processingSeconds } = await processClip(admin, clip);
  const manifest = await (await fetch(video.manifestUrl)).json();
  const mpdUrl = new URL(manifest.mpd ?? 'manifest.mpd', video.manifestUrl).href;
  const shakaPath = `/__bench/shaka.html?mpd=${encodeURIComponent(mpdUrl)}`;
  const duration = video.durationSeconds ?? CLIP_SECONDS;
  log(`clip ready after ${processingSeconds.toFixed(0)} s: ${video.renditions.map((r) => `${r.height}p`).join(', ')}; MPD ${mpdUrl}`);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', ...CHROMIUM_ARGS] });
  const players = { ours: video.id, shaka: shakaPath };
  /** A fresh context (empty cache, signed in, probe installed) for one measurement. */
  const withPage = async (fn) => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, baseURL: info.apiUrl });
    try {
      await context.addCookies(browserCookies(admin, info.apiUrl));
      await context.addInitScript(playerProbe);
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error') log(`page console: ${m.text()}`); });
      return await fn(page);
    } finally {
      await context.close();
    }
  };
  const quiet = () => waitQuiet({ maxCores: 0.3, maxWaitS: QUIET_WAIT_S, quietLog: true });

  log('warm-up: one load of each (not counted)');
  for (const name of ['ours', 'shaka']) await withPage((page) => openPlayer(page, players[name]));

  const ttff = { ours: [], shaka: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['ours', 'shaka'] : ['shaka', 'ours'];
    for (const name of order) {
      await quiet();
      const r = await withPage((page) => openPlayer(page, players[name]));
      ttff[name].push(r);
      log(`round ${round + 1} ${name}: first frame ${r.firstFrameMs} ms from navigation, at ${r.height}p; loadavg ${loadavg()}`);
    }
  }
  const seek = {};
  for (const name of ['shaka', 'ours']) {
    await quiet();
    seek[name] = await withPage((page) => seeks(page, players[name], duration));
    log(`${name} seeks: median ${seek[name].seekMedianMs} ms, max ${seek[name].seekMaxMs} ms, timed out ${seek[name].timedOut}`);
  }
  const play = {};
  if (!opt['no-playthrough']) {
    for (const name of ['ours', 'shaka']) {
      await quiet();
      play[name] = await withPage((page) => playThrough(page, players[name], duration));
      log(`${name} play-through: ${play[name].stalls.length} stalls, ended at ${play[name].endHeight}p, dropped ${play[name].droppedFrames}/${play[name].totalFrames}`);
    }
  }
  const med = (name) => median(ttff[name].map((r) => r.firstFrameMs));
  const result = {
    at: new Date().toISOString(), clip: { seconds: duration, renditions: video.renditions.map((r) => r.height), processingSeconds }, rounds: ROUNDS,
    shakaVersion: JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/shaka-player/package.json'), 'utf8')).version,
    ttff, seek, play,
    summary: {
      oursFirstFrameMs: med('ours'), shakaFirstFrameMs: med('shaka'), firstFrameRatio: med('ours') / med('shaka'),
      oursSeekMs: seek.ours.seekMedianMs, shakaSeekMs: seek.shaka.seekMedianMs, seekRatio: seek.ours.seekMedianMs / seek.shaka.seekMedianMs,
      oursStalls: play.ours?.stalls.length ?? null, shakaStalls: play.shaka?.stalls.length ?? null,
      // which rendition each starts with decides how many bytes the first frame costs
      oursStartHeight: median(ttff.ours.map((r) => r.height)), shakaStartHeight: median(ttff.shaka.map((r) => r.height)),
      oursSeeks: seek.ours.seeks.filter((x) => x.unbuffered && x.playingMs !== null).length,
      shakaSeeks: seek.shaka.seeks.filter((x) => x.unbuffered && x.playingMs !== null).length,
    },
    machine: { cores: os.cpus().length, loadavgEnd: loadavg() },
  };
  fs.writeFileSync(path.join(artifacts, 'player-peers.json'), JSON.stringify(result, null, 2));
  const s = result.summary;
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  const lines = [
    '',
    '================== player: ours vs Shaka Player ==================',
    `clip ${duration} s 1920x1080 (renditions ${result.clip.renditions.join('/')}), same MPD/segments from the same CDN, headless Chromium; Shaka Player ${result.shakaVersion} (default config)`,
    `first frame, cold, from navigation (median of ${ROUNDS}, alternating order): ours ${fixed(s.oursFirstFrameMs)} ms [${ttff.ours.map((r) => r.firstFrameMs).join(', ')}], `
      + `Shaka ${fixed(s.shakaFirstFrameMs)} ms [${ttff.shaka.map((r) => r.firstFrameMs).join(', ')}]; ours/Shaka ${fixed(s.firstFrameRatio, 2)}; `
      + `ours ≤ ${TARGETS.firstFrameMs} ms ${verdict(s.oursFirstFrameMs <= TARGETS.firstFrameMs)}`,
    `seek-to-playing into unbuffered time (median): ours ${fixed(s.oursSeekMs)} ms (max ${seek.ours.seekMaxMs}, timed out ${seek.ours.timedOut}), `
      + `Shaka ${fixed(s.shakaSeekMs)} ms (max ${seek.shaka.seekMaxMs}, timed out ${seek.shaka.timedOut}); ours/Shaka ${fixed(s.seekRatio, 2)}; ours ≤ ${TARGETS.seekMs} ms ${verdict(s.oursSeekMs !== null && s.oursSeekMs <= TARGETS.seekMs && seek.ours.timedOut === 0)}`,
    ...(play.ours ? [`stalls playing the whole clip at 1x: ours ${s.oursStalls} (ended at ${play.ours.endHeight}p), Shaka ${s.shakaStalls} (ended at ${play.shaka.endHeight}p); ours ${verdict(s.oursStalls === 0)}`] : []),
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
  if (clip) fs.rmSync(clip, { force: true });
}
process.exit(exitCode);
