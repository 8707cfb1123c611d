#!/usr/bin/env node
// Our player against Shaka Player, dash.js and hls.js on the same video, in the same Chromium, from the same CDN.
// A clip is processed by the real worker; then every player runs on the same bare page shell
// (web/bench/pages/{ours,shaka,dashjs,hlsjs}.html: the same 1280×720 <video>, the same probe), ours being the
// framework-free MsePlayer on manifest.json, Shaka and dash.js on manifest.mpd, hls.js on master.m3u8; the full
// app's watch page is a row of its own ("app"). Measured, for each:
//  - first frame, cold: a fresh browser context (empty HTTP cache) and an emptied CDN cache (nginx's cache
//    directory is cleared before every counted load, checked once with X-Cache-Status), from navigation start to
//    the first presented frame (requestVideoFrameCallback); every player pinned to the same start rendition
//    (--pin: 720p, else the ladder's middle rung; ABR off), and the rendition each actually started at is read
//    back (picture height, and what the player says); --rounds rounds, the order rotated every round;
//  - seek-to-playing into unbuffered time (pinned), --seek-rounds rounds of 9 seeks each, one seek per fresh page
//    1.5 s after its first frame, order rotated, CDN cleared before each; timeouts are counted, never dropped;
//  - stalls while the whole clip plays at 1x (pinned, CDN cold);
//  - bitrate played over the whole clip on a throttled link (--throttle-kbps, Chromium's network emulation),
//    every player with its own ABR at its defaults: the nominal bitrate of the rendition on screen, weighted by
//    media time played, its switches, and the media bytes downloaded per second played.
// A player with a timeout gets no PASS. Verdicts compare ours (the bare MsePlayer) to the best peer of the run.
//   node web/bench/player-peers.mjs [--no-build] [--rounds N (5)] [--seek-rounds N (3)] [--clip-seconds S (60)]
//        [--pin 720|middle] [--throttle-kbps K (4000)] [--no-playthrough] [--players ours,shaka,dashjs,hlsjs,app]
// Stack: scripts/stack.mjs --ephemeral --api --workers 1 --build-web. Writes tests/artifacts/bench/player-peers.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { apiClient, benchOptions, browserCookies, CHROMIUM, CHROMIUM_ARGS, median, repoRoot, runWebBench, sleep } from './lib.mjs';
import { openPlayer, playerProbe, playThrough, processClip, seeks } from './player.mjs';
import { buildBenchPages } from './pages/build.mjs';
import { loadavg, waitQuiet } from '../../scripts/lib/machine.mjs';
import { loadLine } from '../../scripts/lib/bench-load.mjs';

const opt = benchOptions({
  rounds: { type: 'string', default: '5' },
  'seek-rounds': { type: 'string', default: '3' },
  'clip-seconds': { type: 'string', default: '60' },
  pin: { type: 'string', default: '720' },
  'throttle-kbps': { type: 'string', default: '4000' },
  'no-playthrough': { type: 'boolean', default: false },
  players: { type: 'string', default: 'ours,shaka,dashjs,hlsjs,app' },
  'quiet-wait': { type: 'string', default: '10' },
});
const ROUNDS = Math.max(1, Number(opt.rounds));
const SEEK_ROUNDS = Math.max(1, Number(opt['seek-rounds']));
const CLIP_SECONDS = Math.max(10, Number(opt['clip-seconds']));
const THROTTLE_KBPS = Math.max(100, Number(opt['throttle-kbps']));
const QUIET_WAIT_S = Math.max(0, Number(opt['quiet-wait']));
const PLAYERS = opt.players.split(',').map((x) => x.trim()).filter(Boolean);
const PEERS = ['shaka', 'dashjs', 'hlsjs'].filter((p) => PLAYERS.includes(p));
const SEEK_FRACTIONS = [0.5, 0.15, 0.8, 0.35, 0.65, 0.25, 0.9, 0.05, 0.55];
const version = (pkg) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')).version;
for (const p of PLAYERS) if (!['ours', 'shaka', 'dashjs', 'hlsjs', 'app'].includes(p)) throw new Error(`unknown player ${p}`);

function makeClip() {
  const file = path.join(os.tmpdir(), `sf-bench-player-${process.pid}.mp4`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(CLIP_SECONDS), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', file]);
  return file;
}

/** The order of `names` for round r: rotated by one each round, so each goes first, second, … in turn. */
const rotate = (names, r) => names.map((_, i) => names[(i + r) % names.length]);
/** { n, median, min, max } of numbers (null when none). */
const spread = (v) => (v.length ? { n: v.length, median: median(v), min: Math.min(...v), max: Math.max(...v) } : null);

await runWebBench({ name: 'player-peers', stack: { workers: 1 }, sampleLoad: true }, async ({ ready, log, stopLoad, cleanup, write, print }) => {
  log(`making a ${CLIP_SECONDS} s 1080p clip`);
  const clip = makeClip();
  cleanup(() => fs.rmSync(clip, { force: true }));
  const info = await ready;
  await buildBenchPages();
  const admin = apiClient(info.apiUrl);
  await admin.login(info.env.Auth__AdminEmail, info.env.Auth__AdminPassword);
  const { video, processingSeconds } = await processClip(admin, clip);
  const manifest = await (await fetch(video.manifestUrl)).json();
  const mpdUrl = new URL(manifest.mpd ?? 'manifest.mpd', video.manifestUrl).href;
  const hlsUrl = new URL(manifest.hls ?? 'master.m3u8', video.manifestUrl).href;
  const duration = video.durationSeconds ?? CLIP_SECONDS;
  const rungs = manifest.video.map((r) => ({ height: r.height, bandwidth: r.bandwidth })).sort((a, b) => a.bandwidth - b.bandwidth);
  const bandwidthByHeight = Object.fromEntries(rungs.map((r) => [r.height, r.bandwidth]));
  const pin = (opt.pin !== 'middle' && rungs.find((r) => r.height === Number(opt.pin))) || rungs[Math.floor((rungs.length - 1) / 2)];
  log(`clip ready after ${processingSeconds.toFixed(0)} s: ${rungs.map((r) => `${r.height}p ${Math.round(r.bandwidth / 1000)} kb/s`).join(', ')}; pinned start ${pin.height}p`);

  // Cold CDN: nginx's cache files are removed before every counted load. nginx then finds no file for a key it
  // still holds in memory and fetches from the origin again (MISS) — checked here once, on a real segment.
  const mediaOrigin = new URL(video.manifestUrl).origin;
  const cacheDir = info.cdnUrl ? path.join(info.dataDir, 'cdn', 'cache') : null;
  // Files only: nginx may still be writing one (a fill of the last load's request) while we clear, so its
  // directories stay, and a second pass after a moment catches what it finished meanwhile.
  const unlinkFiles = (dir) => {
    let entries = [];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) unlinkFiles(p);
      else fs.rmSync(p, { force: true });
    }
  };
  const clearCdn = async () => {
    if (!cacheDir) return;
    unlinkFiles(cacheDir);
    await sleep(200);
    unlinkFiles(cacheDir);
  };
  let cdn = { url: info.cdnUrl, cold: 'no CDN in this stack (nginx not installed): every load reads the S3 server directly' };
  if (cacheDir) {
    const probeUrl = new URL(manifest.video[0].init, video.manifestUrl).href;
    const status = async () => (await fetch(probeUrl)).headers.get('x-cache-status');
    const seen = [await status(), await status()];
    await clearCdn();
    seen.push(await status());
    if (seen[1] !== 'HIT' || seen[2] !== 'MISS') throw new Error(`clearing nginx's cache does not make it cold: X-Cache-Status ${seen.join(' → ')}`);
    cdn = { url: info.cdnUrl, cold: `nginx cache emptied before every counted load (checked: ${seen.join(' → ')} after clearing)` };
  }
  log(`CDN ${info.cdnUrl ?? 'none'}: ${cdn.cold}`);

  const q = (src, pinned) => `src=${encodeURIComponent(src)}&pin=${pinned ? pin.height : 'auto'}&pinBps=${pin.bandwidth}`;
  const target = (name, pinned) => ({
    ours: `/__bench/ours.html?${q(video.manifestUrl, pinned)}`,
    shaka: `/__bench/shaka.html?${q(mpdUrl, pinned)}`,
    dashjs: `/__bench/dashjs.html?${q(mpdUrl, pinned)}`,
    hlsjs: `/__bench/hlsjs.html?${q(hlsUrl, pinned)}`,
    app: video.id, // the full app's watch page: its own start rendition (element height × DPR), not pinned
  })[name];

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', ...CHROMIUM_ARGS] });
  cleanup(() => browser.close());
  // the app's page signs in with the admin's cookies; a full run outlasts an access token, so sign in again now and then
  let signedInAt = Date.now();
  /** A fresh context (empty cache, signed in, probe installed) for one measurement. */
  const withPage = async (fn) => {
    if (Date.now() - signedInAt > 4 * 60_000) {
      await admin.login(info.env.Auth__AdminEmail, info.env.Auth__AdminPassword);
      signedInAt = Date.now();
    }
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, baseURL: info.apiUrl });
    try {
      await context.addCookies(browserCookies(admin, info.apiUrl));
      await context.addInitScript(playerProbe);
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) log(`page console: ${m.text().slice(0, 300)}`); });
      page.on('response', (r) => { if (r.status() >= 400) log(`HTTP ${r.status()} ${r.url().slice(0, 200)}`); });
      return await fn(page);
    } finally {
      await context.close();
    }
  };
  const quiet = () => waitQuiet({ maxCores: 0.3, maxWaitS: QUIET_WAIT_S, quietLog: true });

  log('warm-up: one load of each (not counted)');
  for (const name of PLAYERS) {
    const r = await withPage((page) => openPlayer(page, target(name, true)));
    if (r.timedOut) log(`warm-up ${name}: no first frame${r.error ? `: ${r.error.split('\n')[0]}` : ''}`);
  }

  const ttff = Object.fromEntries(PLAYERS.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of rotate(PLAYERS, round)) {
      await quiet();
      await clearCdn();
      const r = await withPage((page) => openPlayer(page, target(name, true)));
      ttff[name].push({ round, ...r });
      log(`round ${round + 1} ${name}: ${r.timedOut ? `TIMED OUT${r.error ? ` (${r.error.split('\n')[0]})` : ''}` : `first frame ${r.firstFrameMs} ms, at ${r.height}p (player says ${r.reportedHeight ?? '–'})`}; loadavg ${loadavg()}`);
    }
  }

  const seek = Object.fromEntries(PLAYERS.map((n) => [n, []]));
  for (let round = 0; round < SEEK_ROUNDS; round++) {
    // the same targets for every player in a round; shifted a little each round
    const fractions = SEEK_FRACTIONS.map((f) => Math.min(0.92, f + round * 0.02));
    for (const name of rotate(PLAYERS, round + 1)) {
      await quiet();
      // one seek per fresh page, 1.5 s after its first frame: every seek starts from the same state, so a player
      // that buffers far ahead (and keeps what it played) is not left with nothing unbuffered to seek into
      const r = { round, open: [], seeks: [], openTimedOut: false };
      for (const f of fractions) {
        await clearCdn();
        const one = await withPage((page) => seeks(page, target(name, true), duration, [f]));
        r.open.push(one.open);
        r.seeks.push(...one.seeks);
        r.openTimedOut ||= one.openTimedOut;
      }
      seek[name].push(r);
      const ok = r.seeks.filter((x) => x.unbuffered && !x.timedOut).map((x) => x.playingMs);
      log(`seek round ${round + 1} ${name}: median ${median(ok)} ms over ${ok.length}, timed out ${r.seeks.filter((x) => x.timedOut).length}, no first frame ${r.open.filter((o) => o.timedOut).length}, target already buffered ${r.seeks.filter((x) => !x.unbuffered).length}`);
    }
  }

  const play = {};
  const throttled = {};
  if (!opt['no-playthrough']) {
    for (const name of rotate(PLAYERS, 2)) {
      await quiet();
      await clearCdn();
      play[name] = await withPage((page) => playThrough(page, target(name, true), duration, { bandwidthByHeight }));
      log(`${name} play-through (${name === 'app' ? 'the app\'s own rendition choice' : 'pinned'}): ${play[name].timedOut ? 'TIMED OUT' : `${play[name].stalls.length} stalls, ended ${play[name].endedInTime}, at ${play[name].endHeight}p`}`);
    }
    for (const name of rotate(PLAYERS, 3)) {
      await quiet();
      await clearCdn();
      throttled[name] = await withPage((page) => playThrough(page, target(name, false), duration, { throttle: { downKbps: THROTTLE_KBPS }, mediaOrigin, bandwidthByHeight }));
      const t = throttled[name];
      log(`${name} play-through at ${THROTTLE_KBPS} kb/s (own ABR): ${t.timedOut ? 'TIMED OUT' : `${t.avgKbps} kb/s played, ${t.switches} switches, started ${t.height}p, ${t.stalls.length} stalls, downloaded ${t.downloadedKbpsPerPlayed} kb/s per played s`}`);
    }
  }

  // per player: the figures the table needs, timeouts counted beside every median
  const summary = {};
  for (const name of PLAYERS) {
    const loads = ttff[name];
    const ok = loads.filter((r) => !r.timedOut);
    const allSeeks = seek[name].flatMap((s) => s.seeks);
    const measured = allSeeks.filter((x) => x.unbuffered && !x.timedOut).map((x) => x.playingMs);
    const p = play[name];
    const t = throttled[name];
    summary[name] = {
      firstFrame: { ...spread(ok.map((r) => r.firstFrameMs)), ok: ok.length, timedOut: loads.length - ok.length },
      startHeights: [...new Set(ok.map((r) => r.height))],
      reportedStartHeights: [...new Set(ok.map((r) => r.reportedHeight))],
      startAtPin: name === 'app' ? null : ok.length > 0 && ok.every((r) => r.height === pin.height),
      seek: { ...spread(measured), ok: measured.length, timedOut: allSeeks.filter((x) => x.unbuffered && x.timedOut).length + seek[name].flatMap((s) => s.open).filter((o) => o.timedOut).length, buffered: allSeeks.filter((x) => !x.unbuffered).length },
      stalls: p ? (p.timedOut ? null : p.stalls.length) : undefined,
      playEnded: p ? !p.timedOut && p.endedInTime : undefined,
      throttled: t ? (t.timedOut ? { timedOut: true } : {
        avgKbps: t.avgKbps, switches: t.switches, startHeight: t.height, stalls: t.stalls.length, ended: t.endedInTime,
        downloadedKbpsPerPlayed: t.downloadedKbpsPerPlayed, secondsByHeight: t.secondsByHeight,
      }) : undefined,
    };
  }
  const { series, ...loadSummary } = stopLoad();
  const result = {
    at: new Date().toISOString(),
    clip: { seconds: duration, renditions: rungs.map((r) => r.height), bandwidths: bandwidthByHeight, processingSeconds },
    rounds: ROUNDS, seekRounds: SEEK_ROUNDS, seeksPerRound: SEEK_FRACTIONS.length, pin: pin.height, throttleKbps: THROTTLE_KBPS,
    players: PLAYERS, peers: PEERS, cdn,
    versions: { shaka: version('shaka-player'), dashjs: version('dashjs'), hlsjs: version('hls.js') },
    ttff, seek, play, throttled, summary,
    load: loadSummary,
    machine: { cores: os.cpus().length, loadavgEnd: loadavg() },
  };
  write(result);
  const { tableRows, textTable } = await import('../../scripts/lib/bench-table.mjs');
  print(['', textTable(tableRows({ player: result }, { fresh: new Set(['player']) }).filter((r) => r.group.startsWith('player'))), loadLine(loadSummary)]);
});
