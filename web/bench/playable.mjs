#!/usr/bin/env node
// Playable while processing: how soon after an upload completes a viewer sees the video, against what the worker
// spends encoding it. For each source length (1080p 30 fps, generated here; the worker at Media__Preset=veryfast):
//  - complete → playable: the API's playableAt (status still "processing", manifestUrl set), polled every 100 ms;
//  - complete → first frame in our player: the watch page is open before the upload completes, as a person waiting
//    on it would have it; the first presented frame (requestVideoFrameCallback) on the wall clock;
//  - complete → ready;
//  - the bare ffmpeg time of the worker's own command for the same file (plan-ffmpeg), run alone afterwards;
//  - stalls (`waiting` after the first frame, and how long each lasted) while the page plays from the first frame
//    to the end at 1x, across the switch from the growing to the final manifest.
// Beside Mux's published median time-to-publish (2.0 s < 1 min, 3.3 s 1–5 min, 9.0 s 5–20 min).
//   node web/bench/playable.mjs [--no-build] [--lengths 60,300,600] [--rounds N (1)]
// One round per length by default: a 10-minute 1080p source takes about as long to encode as to play, so a round of
// the three lengths is ~30 min on 2 cores. Rounds > 1 give a spread (min–max) per figure.
// Writes tests/artifacts/bench/playable.json (raw figures of every round).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { apiClient, benchOptions, browserCookies, CHROMIUM, CHROMIUM_ARGS, median, repoRoot, runWebBench, sleep } from './lib.mjs';
import { playerProbe } from './player.mjs';
import { loadavg } from '../../scripts/lib/machine.mjs';
import { ffmpegGen, mustRun, uploadFile } from '../../tests/bench/lib/media.mjs';
import { planLadder } from '../../tests/bench/lib/ladder.mjs';

const opt = benchOptions({
  lengths: { type: 'string', default: '60,300,600' },
  rounds: { type: 'string', default: '1' },
});
const LENGTHS = opt.lengths.split(',').map(Number).filter((n) => n > 0);
const ROUNDS = Math.max(1, Number(opt.rounds));
const PRESET = 'veryfast';
const MUX_MEDIANS = [{ upTo: 60, seconds: 2.0 }, { upTo: 300, seconds: 3.3 }, { upTo: 1200, seconds: 9.0 }];
const log = (...a) => process.stderr.write(`[playable] ${a.join(' ')}\n`);
const secs = (ms) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);

/** A 1080p 30 fps source with a moving picture and a tone (ultrafast, so making it is quick). */
async function makeSource(seconds) {
  const file = path.join(os.tmpdir(), `sf-bench-playable-${seconds}s-${process.pid}.mp4`);
  await mustRun(`${seconds} s source`, 'ffmpeg', ffmpegGen(file, { size: '1920x1080', seconds, video: ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23'] }));
  return file;
}

/** An access token lives minutes and a 10-minute source is followed for longer: sign in again when it has expired. */
async function fresh(admin, info, call) {
  try {
    return await call();
  } catch (error) {
    if (!/→ 401/.test(String(error?.message))) throw error;
    await admin.login(info.env.Auth__AdminEmail, info.env.Auth__AdminPassword);
    return call();
  }
}

/** Upload, open the watch page, complete, then follow the API and the page until the page has played to the end. */
async function oneRun(admin, browser, info, source, seconds) {
  await admin.login(info.env.Auth__AdminEmail, info.env.Auth__AdminPassword);
  const { videoId } = await uploadFile(admin, source, { title: `playable ${seconds} s`, maxQuality: 1080 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, baseURL: info.apiUrl });
  try {
    await context.addCookies(browserCookies(admin, info.apiUrl));
    await context.addInitScript(playerProbe);
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') log(`page console: ${m.text()}`); });
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(`/watch/${videoId}`);
    const timeOrigin = await page.evaluate(() => performance.timeOrigin);

    await fresh(admin, info, () => admin.call('POST', `/api/v1/uploads/${videoId}/complete`));
    const completedAt = Date.now();
    let playableMs = null;
    let readyMs = null;
    let statusAtPlayable = null;
    const deadline = completedAt + (seconds * 4 + 300) * 1000;
    while (readyMs === null) {
      const v = await fresh(admin, info, () => admin.call('GET', `/api/v1/videos/${videoId}`));
      if (v.status === 'failed') throw new Error(`processing failed: ${v.lastError}`);
      if (playableMs === null && v.manifestUrl) {
        playableMs = Date.now() - completedAt;
        statusAtPlayable = v.status;
      }
      if (v.status === 'ready') readyMs = Date.now() - completedAt;
      if (Date.now() > deadline) throw new Error(`not ready after ${(Date.now() - completedAt) / 1000} s`);
      await sleep(100);
    }
    const firstFrame = await page.waitForFunction(() => window.__probe?.firstFrame ?? null, null, { timeout: 120_000, polling: 100 }).then((h) => h.jsonValue());
    const firstFrameMs = Math.round(timeOrigin + firstFrame - completedAt);
    log(`${seconds} s: playable ${secs(playableMs)} (${statusAtPlayable}), first frame ${secs(firstFrameMs)}, ready ${secs(readyMs)}; playing to the end`);
    await page.waitForFunction(() => window.__probe.ended !== null, null, { timeout: (seconds + 180) * 1000, polling: 1000 });
    const play = await page.evaluate(() => {
      const p = window.__probe;
      // A stall: a `waiting` after the first frame, until the next timeupdate that moved on.
      return { stalls: p.waiting.filter((w) => w.at > p.firstFrame && !w.seeking).map((w) => ({ atMs: Math.round(w.at - p.firstFrame), t: Math.round(w.t * 10) / 10 })), playedS: (p.ended - p.firstFrame) / 1000 };
    });
    return { videoId, playableMs, statusAtPlayable, firstFrameMs, readyMs, stalls: play.stalls, playedS: play.playedS, loadavg: loadavg() };
  } finally {
    await context.close();
  }
}

/** The worker's exact ladder command for the source, run alone: the floor complete → ready is compared with. */
async function bareFfmpegMs(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-bench-bare-'));
  try {
    const plan = await planLadder(source, dir, { preset: PRESET, maxQuality: 1080 });
    const t0 = Date.now();
    await mustRun('bare ladder', plan.fileName, plan.arguments, { capture: false });
    return Date.now() - t0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await runWebBench({ name: 'playable', stack: { workers: 1, env: { Media__Preset: PRESET } } }, async ({ ready, cleanup, write }) => {
  const sources = [];
  cleanup(() => { for (const s of sources) fs.rmSync(s, { force: true }); });
  const info = await ready;
  const admin = apiClient(info.apiUrl);
  await admin.login(info.env.Auth__AdminEmail, info.env.Auth__AdminPassword);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', ...CHROMIUM_ARGS] });
  cleanup(() => browser.close());
  const results = [];
  for (const seconds of LENGTHS) {
    log(`making a ${seconds} s 1080p source`);
    const source = await makeSource(seconds);
    sources.push(source);
    const runs = [];
    const bare = [];
    for (let round = 0; round < ROUNDS; round++) {
      runs.push(await oneRun(admin, browser, info, source, seconds));
      // Alone, after the run: the worker is idle, so the two never share the cores.
      bare.push(await bareFfmpegMs(source));
      log(`${seconds} s round ${round + 1}: bare ffmpeg ${secs(bare.at(-1))}; loadavg ${loadavg()}`);
    }
    const mux = MUX_MEDIANS.find((m) => seconds <= m.upTo)?.seconds ?? null;
    results.push({ seconds, runs, bareMs: bare, muxMedianS: mux });
  }
  const pick = (r, key) => r.runs.map((x) => x[key]).filter((x) => x !== null);
  const summary = results.map((r) => {
    const ready = median(pick(r, 'readyMs'));
    const bare = median(r.bareMs);
    return {
      seconds: r.seconds,
      playableMs: median(pick(r, 'playableMs')), firstFrameMs: median(pick(r, 'firstFrameMs')), readyMs: ready, bareMs: bare,
      readyOverBare: ready / bare, stalls: median(r.runs.map((x) => x.stalls.length)), muxMedianS: r.muxMedianS,
      spread: Object.fromEntries(['playableMs', 'firstFrameMs', 'readyMs'].map((k) => [k, [Math.min(...pick(r, k)), Math.max(...pick(r, k))]])),
    };
  });
  const result = { at: new Date().toISOString(), preset: PRESET, rounds: ROUNDS, machine: { cores: os.cpus().length, loadavgEnd: loadavg() }, results, summary };
  write(result);
  const lines = ['', '================== playable while processing ==================',
    `1080p 30 fps sources, worker preset ${PRESET}, ${ROUNDS} round(s) per length; Mux = its published median time-to-publish`];
  for (const s of summary) {
    lines.push(`${s.seconds} s: complete → playable ${secs(s.playableMs)}, → first frame ${secs(s.firstFrameMs)} (target ≤ 5 s; Mux ${s.muxMedianS} s), `
      + `→ ready ${secs(s.readyMs)} vs bare ffmpeg ${secs(s.bareMs)} = ${s.readyOverBare.toFixed(3)} (target ≤ 1.05); stalls ${s.stalls}`);
  }
  lines.push(`loadavg at the end ${loadavg()} (${os.cpus().length} cores)`, '===============================================================');
  process.stdout.write(`${lines.join('\n')}\n`);
});
