// The one benchmark table: every bench writes its figures to tests/artifacts/bench/<name>.json, and this
// turns them into rows (figure, measured, baseline of the same run, ratio, target, verdict), printed by
// `npm run bench` and written to docs/benchmarks.md. Benches measure; only this file knows the table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt } from './figures.mjs';

/** The benches, in run order: name (for --only), the script, its JSON, what it measures. */
export const BENCHES = [
  { name: 'api', file: 'tests/bench/api.mjs', json: 'api.json', what: 'part-URL signing rate vs /health/live (autocannon)' },
  { name: 'pickup', file: 'tests/bench/pickup.mjs', json: 'pickup.json', what: 'job pickup latency under a burst of completions' },
  { name: 'pipeline', file: 'tests/bench/pipeline.mjs', json: 'pipeline.json', what: 'pipeline vs bare ffmpeg, one decode vs one ffmpeg per rung, pickup with an idle worker, worker RSS on a 1 GB source' },
  { name: 'load', file: 'tests/bench/load-users.mjs', json: 'load-users.json', what: '50 users uploading 12 MB multipart files while 5 transcodes run' },
  { name: 'upload', file: 'web/bench/upload-peers.mjs', json: 'upload-peers.json', what: 'browser upload: ours vs Uppy vs raw XHR parts' },
  { name: 'player', file: 'web/bench/player-peers.mjs', json: 'player-peers.json', what: 'player: ours vs Shaka Player, first frame, seeks, stalls' },
  { name: 'playable', file: 'web/bench/playable.mjs', json: 'playable.json', what: 'playable while processing: complete → playable / first frame / ready vs bare ffmpeg, 1/5/10-min 1080p' },
];

export function readResults(dir) {
  const out = {};
  for (const b of BENCHES) {
    try { out[b.name] = JSON.parse(fs.readFileSync(path.join(dir, b.json), 'utf8')); } catch { out[b.name] = null; }
  }
  return out;
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    ramGB: os.totalmem() / 2 ** 30,
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

const ms = (x, d = 0) => (Number.isFinite(x) ? `${fmt(x, d)} ms` : 'n/a');
const s = (x, d = 1) => (Number.isFinite(x) ? `${fmt(x, d)} s` : 'n/a');
const verdict = (ok) => (ok === null || ok === undefined ? '–' : ok ? 'PASS' : 'FAIL');
const median = (v) => { const a = [...v].sort((x, y) => x - y); const m = Math.floor(a.length / 2); return a.length ? (a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2) : NaN; };

/**
 * Rows: { group, figure, measured, baseline, ratio, target, verdict }. A bench without results gives one row
 * saying so. `fresh` names the benches run by this invocation; older results are marked with their date.
 */
export function tableRows(results, fresh = new Set()) {
  const rows = [];
  const add = (group, figure, measured, baseline, ratio, target, ok) => rows.push({ group, figure, measured, baseline, ratio, target, verdict: verdict(ok) });
  const stamp = (name) => (results[name] && !fresh.has(name) ? ` (from ${results[name].at})` : '');
  const missing = (name) => { rows.push({ group: name, figure: `${name}: not run`, measured: '–', baseline: '–', ratio: '–', target: '–', verdict: '–' }); };

  const p = results.pipeline;
  if (p) {
    const g = `pipeline${stamp('pipeline')}`;
    const bWall = p.b.runs.reduce((x, r) => x + r.wallMs, 0) + p.b.thumbnails.wallMs;
    add(g, `processing: complete → ready (${p.clipSeconds ?? '?'} s 1080p clip, full ladder)`, s(p.c.wallMs / 1000), `bare ffmpeg, same command: ${s(p.a.wallMs / 1000)}`, fmt(p.c.wallMs / p.a.wallMs, 2), '≤ 1.15', p.c.wallMs / p.a.wallMs <= 1.15);
    add(g, 'one decode for all rungs (bare ladder)', s(p.a.wallMs / 1000), `one ffmpeg per rung + thumbnails: ${s(bWall / 1000)}`, fmt(p.a.wallMs / bWall, 2), '≤ 0.75', p.a.wallMs / bWall <= 0.75);
    const pc = (p.pickups ?? []).map((x) => x.client);
    if (pc.length) add(g, `pickup latency, idle worker (${pc.length} uploads): complete → job started, p50 / max`, `${ms(median(pc))} / ${ms(Math.max(...pc))}`, '–', '–', 'p50 ≤ 1000 ms', median(pc) <= 1000);
    if (p.mem) {
      const peakMB = Math.max(p.mem.after.VmHWM, p.mem.peakRss) / 1024;
      add(g, `worker peak RSS, ${fmt(p.mem.size / 1e9, 2)} GB source (ffmpeg excluded)`, `${fmt(peakMB, 0)} MB`, `ffmpeg child peak ${fmt(p.mem.peakFfmpeg / 1024, 0)} MB`, '–', '≤ 250 MB', peakMB <= 250);
    }
  } else missing('pipeline');

  const k = results.pickup;
  if (k) add(`pickup${stamp('pickup')}`, `pickup under a burst of ${k.count} completions, one worker: p50 / max`, `${ms(k.p50)} / ${ms(k.max)}`, `enqueue → start p50 ${ms(k.waitP50)}`, '–', 'max ≤ 5000 ms', k.max <= 5000);
  else missing('pickup');

  const a = results.api;
  if (a) {
    const g = `api${stamp('api')}`;
    const r = a.results;
    const floor = r.a?.rps;
    for (const key of ['b', 'c', 'e']) {
      const x = r[key];
      if (!x) continue;
      add(g, `part-URL signing, ${x.name.replace(/^\(\w\) sign, /, '')}: URLs/s, p99`, `${fmt(x.urlsPerSec, 0)} URLs/s, p99 ${ms(x.p99, 1)}`, `GET /health/live ${fmt(floor, 0)} req/s`, `${fmt(x.rps / floor, 2)} (req/s)`, '≥ 2000 URLs/s, p99 < 50 ms', x.urlsPerSec >= 2000 && x.p99 < 50);
    }
  } else missing('api');

  const l = results.load;
  if (l) {
    const g = `load${stamp('load')}`;
    add(g, `${l.users} users × ${fmt(l.fileBytes / 1e6, 0)} MB multipart uploads during ${l.transcodes} transcodes: errors`, String(l.errors.length), '–', '–', '0', l.errors.length === 0);
    add(g, 'objects complete (HEAD size and multipart ETag = bytes sent)', `${l.objects.complete}/${l.users}`, '–', '–', `${l.users}/${l.users}`, l.objects.complete === l.users);
    add(g, 'wall time (all users, register → complete)', s(l.wallMs / 1000, 1), `${fmt(l.throughputMBps, 1)} MB/s aggregate`, '–', '–', null);
    for (const [e, v] of Object.entries(l.perEndpoint)) add(g, `API latency ${e} (n ${v.n}): p50 / p99`, `${ms(v.p50)} / ${ms(v.p99)}`, '–', '–', '–', null);
    add(g, 'PostgreSQL connections to the database, peak (active peak)', `${l.db.peak} (${l.db.peakActive})`, '–', '–', '–', null);
    add(g, 'transcodes running during the uploads (min–max) / ready after', `${l.transcodesRunning.min}–${l.transcodesRunning.max} / ${l.transcodesOk}`, '–', '–', `${l.transcodes} / ${l.transcodes}`, l.transcodesOk === l.transcodes && l.transcodesRunning.min === l.transcodes);
  } else missing('load');

  const u = results.upload;
  if (u) {
    const g = `upload${stamp('upload')}`;
    const x = u.summary;
    const mb = fmt(u.bytes / 1e6, 0);
    add(g, `browser upload ${mb} MB (${u.parts} × ${fmt(u.partSize / 1e6, 0)} MB, ${u.concurrency} in flight): ours vs Uppy ${u.uppyVersion}`, `${fmt(x.ours.MBps, 1)} MB/s`, `Uppy ${fmt(x.uppy.MBps, 1)} MB/s`, fmt(u.oursVsUppy, 3), '≥ 1.0', u.oursVsUppy >= 1.0);
    add(g, `browser upload ${mb} MB: ours vs raw parallel XHR PUTs`, `${fmt(x.ours.MBps, 1)} MB/s`, `raw ${fmt(x.raw.MBps, 1)} MB/s (PUTs alone ${fmt(x.raw.putsMBps, 1)})`, fmt(u.oursVsRaw, 3), '≥ 0.95', u.oursVsRaw >= 0.95);
    add(g, `peak JS heap of ours on ${mb} MB`, `${fmt(u.oursHeapPeakMB, 1)} MB`, `Uppy ${fmt(x.uppy.heapPeakMB, 1)} MB, raw ${fmt(x.raw.heapPeakMB, 1)} MB`, '–', '≤ 150 MB', u.oursHeapPeakMB <= 150);
  } else missing('upload');

  const pl = results.player;
  if (pl) {
    const g = `player${stamp('player')}`;
    const x = pl.summary;
    add(g, `time to first frame, cold, from navigation (${fmt(pl.clip.seconds, 0)} s 1080p clip, median of ${pl.rounds}; first rendition ours ${x.oursStartHeight}p)`, ms(x.oursFirstFrameMs),
      `Shaka Player ${pl.shakaVersion}: ${ms(x.shakaFirstFrameMs)} (starts at ${x.shakaStartHeight}p)`, fmt(x.firstFrameRatio, 2), '≤ 1000 ms', x.oursFirstFrameMs <= 1000);
    add(g, `seek to playing, unbuffered target (median over ${x.oursSeeks} seeks)`, ms(x.oursSeekMs), `Shaka: ${ms(x.shakaSeekMs)} (${x.shakaSeeks} seeks)`, fmt(x.seekRatio, 2), '≤ 500 ms', x.oursSeekMs !== null && x.oursSeekMs <= 500);
    if (x.oursStalls !== null) add(g, 'stalls playing the whole clip at 1x', String(x.oursStalls), `Shaka: ${x.shakaStalls}`, '–', '0', x.oursStalls === 0);
  } else missing('player');

  const pw = results.playable;
  if (pw) {
    const g = `playable${stamp('playable')}`;
    const spread = (x, k) => (pw.rounds > 1 ? ` (${s(x.spread[k][0] / 1000)}–${s(x.spread[k][1] / 1000)})` : '');
    for (const x of pw.summary) {
      const len = x.seconds >= 60 ? `${fmt(x.seconds / 60, 0)} min` : `${x.seconds} s`;
      add(g, `${len} 1080p, ${pw.preset}: complete → first frame in our player${pw.rounds > 1 ? `, median of ${pw.rounds}` : ''}`, s(x.firstFrameMs / 1000) + spread(x, 'firstFrameMs'),
        `Mux median time-to-publish ${s(x.muxMedianS)}; complete → playable (API) ${s(x.playableMs / 1000)}`, fmt(x.firstFrameMs / 1000 / x.muxMedianS, 2), '≤ 5 s', x.firstFrameMs <= 5000);
      add(g, `${len} 1080p: complete → ready`, s(x.readyMs / 1000) + spread(x, 'readyMs'), `bare ffmpeg, same command: ${s(x.bareMs / 1000)}`, fmt(x.readyOverBare, 3), '≤ 1.05', x.readyOverBare <= 1.05);
      add(g, `${len} 1080p: stalls playing from the first frame to the end at 1x`, String(x.stalls), '–', '–', '–', null);
    }
  } else missing('playable');
  return rows;
}

const COLS = ['figure', 'measured', 'baseline', 'ratio', 'target', 'verdict'];

export function textTable(rows) {
  const width = Object.fromEntries(COLS.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c]).length))]));
  width.figure = Math.min(width.figure, 130);
  const line = (r) => COLS.map((c) => String(r[c]).slice(0, c === 'figure' ? 130 : undefined).padEnd(width[c])).join('  ');
  const out = [];
  let group = null;
  out.push(line(Object.fromEntries(COLS.map((c) => [c, c]))));
  for (const r of rows) {
    if (r.group !== group) { group = r.group; out.push(`-- ${group}`); }
    out.push(line(r));
  }
  return out.join('\n');
}

export function markdownTable(rows) {
  const esc = (x) => String(x).replace(/\|/g, '\\|');
  const out = ['| bench | figure | measured | baseline (same run) | ratio | target | verdict |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) out.push(`| ${esc(r.group)} | ${esc(r.figure)} | ${esc(r.measured)} | ${esc(r.baseline)} | ${esc(r.ratio)} | ${esc(r.target)} | ${r.verdict} |`);
  return out.join('\n');
}
