// The one benchmark table: every bench writes its figures to tests/artifacts/bench/<name>.json (kept per run
// under docs/bench/<date>-<commit>/), and this turns them into rows (figure, measured, baseline of the same
// run, ratio, target, verdict), printed by `npm run bench` and written to docs/benchmarks.md. Benches
// measure; only this file knows the table. A bench that failed is one FAILED row with its reason; a bench
// that ran on a machine that was not quiet (scripts/lib/bench-load.mjs) keeps its figures but its verdicts
// read "noisy": they do not count.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt } from './figures.mjs';
import { loadLine } from './bench-load.mjs';
import { spreadOf } from '../../tests/bench/lib/rounds.mjs';

/** The benches, in run order: name (for --only), the script, its JSON, what it measures. */
export const BENCHES = [
  { name: 'api', file: 'tests/bench/api.mjs', json: 'api.json', what: 'part-URL signing rate vs /health/live (autocannon)' },
  { name: 'pickup', file: 'tests/bench/pickup.mjs', json: 'pickup.json', what: 'job pickup latency under a burst of completions' },
  { name: 'pipeline', file: 'tests/bench/pipeline.mjs', json: 'pipeline.json', what: 'processing 30 s / 2 min / 10 min 1080p sources, rounds in rotating order: ours (complete → ready, one worker) vs bare ffmpeg (the worker\'s command) vs one ffmpeg per rung, wall and CPU-seconds; pickup with an idle worker; worker RSS on a 1 GB source' },
  { name: 'load', file: 'tests/bench/load-users.mjs', json: 'load-users.json', what: '50 users uploading 12 MB multipart files while 5 transcodes run' },
  { name: 'upload', file: 'web/bench/upload-peers.mjs', json: 'upload-peers.json', what: 'browser upload: ours at 4 and 6 in flight vs Uppy 5.x (defaults, tuned) vs raw XHR parts at 4/6/8, and @aws-sdk/lib-storage from Node as the ceiling' },
  { name: 'resume', file: 'web/bench/resume.mjs', json: 'resume.json', what: 'reload at 50% of an upload: time to resume, bytes sent again, total; ours vs Uppy Golden Retriever vs tus (tus-js-client → @tus/server + @tus/s3-store)' },
  { name: 'player', file: 'web/bench/player-peers.mjs', json: 'player-peers.json', what: 'player: ours (bare MsePlayer, and the full app) vs Shaka Player, dash.js and hls.js on one page shell, pinned start rendition, cold CDN: first frame, seeks, stalls, bitrate played on a throttled link' },
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
/** "12.3 (10.1–14.0)" of a { median, min, max }. */
const spread = (v, d = 1) => (v ? `${fmt(v.median, d)} (${fmt(v.min, d)}–${fmt(v.max, d)})` : 'n/a');
const pairedText = (r) => (r?.n ? `${fmt(r.median, 3)} (${fmt(r.min, 3)}–${fmt(r.max, 3)}, n ${r.n})` : 'n/a');
const ratioOk = (r, min) => (r?.n ? r.median >= min : false);
export const UPLOAD_TARGETS = { vsUppy: 1.05, vsRaw: 0.95, heapMB: 150 };
export const RESUME_TARGETS = { resentBytes: 10e6 };
const median = (v) => { const a = [...v].sort((x, y) => x - y); const m = Math.floor(a.length / 2); return a.length ? (a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2) : NaN; };

export const PIPELINE_TARGETS = { readyOverBare: 1.05, oneDecodeCpu: 0.65 };

/**
 * The verdict of a "paired ratio ≤ target" claim: PASS when every round is within the target, FAIL when none
 * is, TIE when the target lies inside the rounds' min–max (they disagree: a win inside the spread is no win).
 */
export function ratioVerdict(r, target) {
  if (!r?.n) return 'FAIL';
  if (r.max <= target) return 'PASS';
  if (r.min > target) return 'FAIL';
  return 'TIE';
}

/** "1.032 (1.010–1.061, n 3)", and whether 1.0 lies inside the spread (neither side faster: a tie). */
function ratioText(r) {
  if (!r?.n) return 'n/a';
  if (r.n < 2) return `${fmt(r.median, 3)} (n 1: no spread)`;
  const tie = r.min <= 1 && r.max >= 1 ? '; 1.0 inside: a tie' : '';
  return `${fmt(r.median, 3)} (${fmt(r.min, 3)}–${fmt(r.max, 3)}, n ${r.n}${tie})`;
}

/**
 * What decoding once saves, counted in decodes, per round: the per-rung leg decodes the source once per rung and
 * once more for the thumbnails, the bare ladder once, so `rungs` decodes are repeated work a single process
 * avoids. A decode is measured as the per-rung leg's thumbnails pass (it decodes every frame and writes only a few
 * small JPEGs). `saved` = (per-rung − bare) CPU-s in decodes; `needed` = what the one-decode target asks to save,
 * (1 − target) × per-rung, in decodes. Needing more decodes than are repeated means decoding once cannot reach
 * the target by itself; the rest of what bare saves comes from its chained scalers (each rung scaled from the
 * next larger one, not from the source). Spreads over the rounds, as the verdicts.
 */
export function oneDecodeSavings(L, target = PIPELINE_TARGETS.oneDecodeCpu) {
  const R = (L.rounds ?? []).filter((r) => r.perRung?.cpuS > 0 && r.bare?.cpuS > 0 && r.perRung.thumbnails?.cpuS > 0);
  if (!R.length) return null;
  return {
    repeated: R[0].perRung.rungs.length,
    saved: spreadOf(R.map((r) => (r.perRung.cpuS - r.bare.cpuS) / r.perRung.thumbnails.cpuS)),
    needed: spreadOf(R.map((r) => ((1 - target) * r.perRung.cpuS) / r.perRung.thumbnails.cpuS)),
  };
}

/** The pipeline's rows for one source length (tests/bench/pipeline.mjs, `lengths[]`). */
function pipelineLengthRows(L, p, g0, benchNoisy) {
  const x = L.summary;
  const minutes = L.seconds >= 60 && L.seconds % 60 === 0 ? `${L.seconds / 60} min` : `${L.seconds} s`;
  const quiet = L.load?.quiet !== false;
  const group = quiet ? g0 : `${g0} (${minutes}: NOT quiet, other processes ${L.load.otherCores.median} cores median)`;
  const v = (verdictText) => (verdictText === '–' ? '–' : benchNoisy || !quiet ? 'noisy' : verdictText);
  const range = (sp, k, d) => (sp.n > 1 ? ` (${fmt(sp.min / k, d)}–${fmt(sp.max / k, d)})` : '');
  const sec = (sp) => (sp ? `${fmt(sp.median / 1000, 1)} s${range(sp, 1000, 1)}` : 'n/a');
  const cpu = (sp) => (sp ? `${fmt(sp.median, 1)} CPU-s${range(sp, 1, 1)}` : 'n/a');
  const head = x.n > 1 ? `${minutes} 1080p, median (min–max) of ${x.n}` : `${minutes} 1080p, 1 round`;
  const T = PIPELINE_TARGETS;
  const out = [];
  const row = (figure, measured, baseline, ratio, target, verdictText) => out.push({ group, figure, measured, baseline, ratio, target, verdict: v(verdictText) });
  row(`${head}: complete → ready, ours (one worker) vs bare ffmpeg; CPU-s: worker + its ffmpegs`,
    `${sec(x.ours.wallMs)}; ${cpu(x.ours.cpuS)}`,
    `bare ffmpeg, the worker's command: ${sec(x.bare.wallMs)}; ${cpu(x.bare.cpuS)}`,
    `wall ${ratioText(x.ratios.oursOverBareWall)}; CPU ${ratioText(x.ratios.oursOverBareCpu)}`,
    `wall ≤ ${T.readyOverBare} every round`, ratioVerdict(x.ratios.oursOverBareWall, T.readyOverBare));
  row(`${head}: one decode (bare ladder) vs one ffmpeg per rung + one for thumbnails, CPU-s`,
    `${cpu(x.bare.cpuS)}; ${sec(x.bare.wallMs)}`,
    `per-rung: ${cpu(x.perRung.cpuS)}; ${sec(x.perRung.wallMs)}`,
    `CPU ${ratioText(x.ratios.bareOverPerRungCpu)}; wall ${ratioText(x.ratios.bareOverPerRungWall)}`,
    `CPU ≤ ${T.oneDecodeCpu} every round`, ratioVerdict(x.ratios.bareOverPerRungCpu, T.oneDecodeCpu));
  row(`${head}: per-rung leg, each ffmpeg (${L.rungs.length} rungs, preset ${p.preset}): wall; CPU-s`,
    [...x.perRung.rungs.map((r) => `${r.size} ${fmt(r.wallMs.median / 1000, 1)} s; ${fmt(r.cpuS.median, 1)}`), `thumbnails ${fmt(x.perRung.thumbnails.wallMs.median / 1000, 1)} s; ${fmt(x.perRung.thumbnails.cpuS.median, 1)}`].join(' | '),
    `rungs alone (no thumbnails pass): ${cpu(x.perRung.rungsOnly.cpuS)}`,
    `bare / rungs alone, CPU ${ratioText(x.ratios.bareOverRungsOnlyCpu)}`, '–', '–');
  const saving = oneDecodeSavings(L);
  if (saving) {
    const dec = (sp) => `${fmt(sp.median, 2)}${sp.n > 1 ? ` (${fmt(sp.min, 2)}–${fmt(sp.max, 2)})` : ''}`;
    row(`${head}: why: CPU one decode saves, in decodes (a decode ≈ the thumbnails pass)`,
      `saved ${dec(saving.saved)} decodes (per-rung − bare)`,
      `repeated decodes one process avoids: ${saving.repeated}; the ${T.oneDecodeCpu} target needs ${dec(saving.needed)} decodes' worth saved`,
      '–', '–', '–');
  }
  const st = x.ours.stages;
  if (st?.ffmpegMs) {
    row(`${head}: where ours' time goes, complete → ready (ffmpeg sampled every 50 ms)`,
      `before ffmpeg (queue, download, probe) ${sec(st.beforeMs)}; ffmpeg ${sec(st.ffmpegMs)}; after (upload, ready) ${sec(st.afterMs)}`,
      `bare ffmpeg: ${sec(x.bare.wallMs)}`, '–', '–', '–');
  }
  row(`${head}: whole stack's CPU-s during ours (worker, ffmpeg, API, DB, S3, CDN)`,
    cpu(x.ours.stackCpuS), `other processes during the legs, cores (median of rounds): ours ${fmt(x.ours.otherCores?.median, 2)}, bare ${fmt(x.bare.otherCores?.median, 2)}, per-rung ${fmt(x.perRung.otherCores?.median, 2)}`,
    '–', '–', '–');
  return out;
}

/**
 * Rows: { group, figure, measured, baseline, ratio, target, verdict }. A bench without results gives one row
 * saying so. opts (or a Set, the old form: `fresh`):
 *  - fresh: the benches run by this invocation; older results are marked with their date;
 *  - failed: { name: reason } for the benches that failed: one FAILED row with the reason, no figures;
 *  - load: { name: bench-load summary } taken while each ran (else the bench's own `load`, if it has one).
 * A bench whose load says the machine was not quiet shows it in its group and its verdicts read "noisy".
 */
export function tableRows(results, opts = {}) {
  const { fresh = new Set(), failed = {}, load = {} } = opts instanceof Set ? { fresh: opts } : opts;
  const rows = [];
  const quietOf = (name) => load[name] ?? results[name]?.load ?? null;
  const noisy = (group) => quietOf(group.split(' ')[0])?.quiet === false;
  const add = (group, figure, measured, baseline, ratio, target, ok) => rows.push({
    group, figure, measured, baseline, ratio, target,
    verdict: ok === null || ok === undefined ? '–' : noisy(group) ? 'noisy' : verdict(ok),
  });
  const stamp = (name) => {
    const l = quietOf(name);
    const when = results[name] && !fresh.has(name) ? ` (from ${results[name].at})` : '';
    return `${when}${l && l.quiet === false ? ` (NOT quiet: other processes ${l.otherCores.median} cores median, load ${l.loadavg.median})` : ''}`;
  };
  const missing = (name) => { rows.push({ group: name, figure: `${name}: not run`, measured: '–', baseline: '–', ratio: '–', target: '–', verdict: '–' }); };
  for (const [name, reason] of Object.entries(failed)) results = { ...results, [name]: { failed: reason } };
  const failedRow = (name) => {
    if (!results[name]?.failed) return false;
    rows.push({ group: name, figure: `${name}: FAILED`, measured: 'FAILED', baseline: String(results[name].failed).slice(0, 300), ratio: '–', target: '–', verdict: 'FAILED' });
    return true;
  };

  const p = results.pipeline;
  if (failedRow('pipeline')) { /* reason shown */ } else if (p?.lengths) {
    const g0 = `pipeline${stamp('pipeline')}`;
    for (const L of p.lengths) pipelineLengthRows(L, p, g0, noisy(g0)).forEach((r) => rows.push(r));
    const pc = (p.pickups ?? []).map((x) => x.client);
    if (pc.length) add(g0, `pickup latency, idle worker (${pc.length} uploads): complete → job started, p50 / max`, `${ms(median(pc))} / ${ms(Math.max(...pc))}`, '–', '–', 'p50 ≤ 1000 ms', median(pc) <= 1000);
    if (p.mem) {
      const peakMB = Math.max(p.mem.after.VmHWM, p.mem.peakRss) / 1024;
      add(g0, `worker peak RSS, ${fmt(p.mem.size / 1e9, 2)} GB source (ffmpeg excluded)`, `${fmt(peakMB, 0)} MB`, `ffmpeg child peak ${fmt(p.mem.peakFfmpeg / 1024, 0)} MB`, '–', '≤ 250 MB', peakMB <= 250);
    }
  } else if (p) {
    rows.push({ group: 'pipeline', figure: 'pipeline: result from an older bench version (one clip, one round)', measured: '–', baseline: '–', ratio: '–', target: '–', verdict: '–' });
  } else missing('pipeline');

  const k = results.pickup;
  if (failedRow('pickup')) { /* reason shown */ } else if (k) add(`pickup${stamp('pickup')}`, `pickup under a burst of ${k.count} completions, one worker: p50 / max`, `${ms(k.p50)} / ${ms(k.max)}`, `enqueue → start p50 ${ms(k.waitP50)}`, '–', 'max ≤ 5000 ms', k.max <= 5000);
  else missing('pickup');

  const a = results.api;
  if (failedRow('api')) { /* reason shown */ } else if (a) {
    const g = `api${stamp('api')}`;
    const r = a.results;
    const floor = r.a?.rps;
    for (const key of ['b', 'c', 'e']) {
      const x = r[key];
      if (!x) continue;
      add(g, `part-URL signing, ${x.name.replace(/^\(\w\) sign, /, '')}: URLs/s, p99`, `${fmt(x.urlsPerSec, 0)} URLs/s, p99 ${ms(x.p99, 1)}`, `GET /health/live ${fmt(floor, 0)} req/s`, `${fmt(x.rps / floor, 2)} (req/s)`, '≥ 2000 URLs/s, p99 < 50 ms', x.urlsPerSec >= 2000 && x.p99 < 50);
      // Issue 21: the same signing with an API key of the same account, against the session-token row of the same run.
      if (key === 'b' && r.k) add(g, 'sign parts (API key), 1 part/request: URLs/s, p99', `${fmt(r.k.urlsPerSec, 0)} URLs/s, p99 ${ms(r.k.p99, 1)}`,
        `session token ${fmt(x.urlsPerSec, 0)} URLs/s, p99 ${ms(x.p99, 1)}`, `${fmt(r.k.rps / x.rps, 2)} (req/s)`, '≥ 2000 URLs/s, p99 < 50 ms', r.k.urlsPerSec >= 2000 && r.k.p99 < 50);
    }
  } else missing('api');

  const l = results.load;
  if (failedRow('load')) { /* reason shown */ } else if (l) {
    const g = `load${stamp('load')}`;
    add(g, `${l.users} users × ${fmt(l.fileBytes / 1e6, 0)} MB multipart uploads during ${l.transcodes} transcodes: errors`, String(l.errors.length), '–', '–', '0', l.errors.length === 0);
    add(g, 'objects complete (HEAD size and multipart ETag = bytes sent)', `${l.objects.complete}/${l.users}`, '–', '–', `${l.users}/${l.users}`, l.objects.complete === l.users);
    add(g, 'wall time (all users, register → complete)', s(l.wallMs / 1000, 1), `${fmt(l.throughputMBps, 1)} MB/s aggregate`, '–', '–', null);
    for (const [e, v] of Object.entries(l.perEndpoint)) add(g, `API latency ${e} (n ${v.n}): p50 / p99`, `${ms(v.p50)} / ${ms(v.p99)}`, '–', '–', '–', null);
    add(g, 'PostgreSQL connections to the database, peak (active peak)', `${l.db.peak} (${l.db.peakActive})`, '–', '–', '–', null);
    add(g, 'transcodes running during the uploads (min–max) / ready after', `${l.transcodesRunning.min}–${l.transcodesRunning.max} / ${l.transcodesOk}`, '–', '–', `${l.transcodes} / ${l.transcodes}`, l.transcodesOk === l.transcodes && l.transcodesRunning.min === l.transcodes);
  } else missing('load');

  const u = results.upload;
  if (failedRow('upload')) { /* reason shown */ } else if (u?.summary && u.legs) {
    const g = `upload${stamp('upload')}`;
    const mb = fmt(u.bytes / 1e6, 0);
    const leg = (id) => u.summary[id];
    const mbps = (id) => (leg(id)?.n ? `${spread(leg(id).MBps, 1)} MB/s` : `${id} FAILED${leg(id)?.failures?.length ? `: ${leg(id).failures[0]}` : ''}`);
    const pr = (key) => u.paired?.[key];
    const legsOf = (kind) => Object.keys(u.legs).filter((id) => u.legs[id].kind === kind);
    const label = (id) => u.legs[id]?.label ?? id;
    const shipped = u.shipped;
    const head = `upload ${mb} MB (${u.parts} × ${fmt(u.partSize / 1e6, 0)} MB), ${u.rounds} rounds`;
    const uppyLine = legsOf('uppy').map((id) => `${label(id)} ${mbps(id)}`).join('; ');
    const rawLine = `raw XHR ${legsOf('raw').map((id) => u.legs[id].concurrency).join('/')} in flight: ${legsOf('raw').map((id) => fmt(leg(id)?.MBps?.median, 1)).join(' / ')} MB/s`;
    for (const id of legsOf('ours')) {
      const main = id === shipped;
      const vsU = pr(`${id}/uppy-best`);
      const vsR = pr(`${id}/raw-best`);
      add(g, `${head}: ${label(id)}${main ? ' (shipped default)' : ''} vs Uppy ${u.uppyVersion} at its best (${u.best?.uppy}), paired`,
        mbps(id), uppyLine, pairedText(vsU), main ? `≥ ${UPLOAD_TARGETS.vsUppy} (paired median)` : '–', main ? ratioOk(vsU, UPLOAD_TARGETS.vsUppy) : null);
      add(g, `${head}: ${label(id)}${main ? ' (shipped default)' : ''} vs the best raw page (${u.best?.raw}), paired`,
        mbps(id), rawLine, pairedText(vsR), main ? `≥ ${UPLOAD_TARGETS.vsRaw} (paired median)` : '–', main ? ratioOk(vsR, UPLOAD_TARGETS.vsRaw) : null);
    }
    const nodes = legsOf('node');
    if (nodes.length) {
      add(g, `ceiling without a browser: @aws-sdk/lib-storage Upload from Node, same part size, ${nodes.map((id) => u.legs[id].concurrency).join(' / ')} in flight`,
        nodes.map((id) => mbps(id)).join(' / '), `ours at the same in flight: ${nodes.map((id) => fmt(leg(`ours-${u.legs[id].concurrency}`)?.MBps?.median, 1)).join(' / ')} MB/s`,
        nodes.map((id) => pairedText(pr(`ours-${u.legs[id].concurrency}/${id}`))).join(' / '), '–', null);
    }
    const cpuLegs = [shipped, u.best?.uppy, u.best?.raw].filter((id) => leg(id)?.n && leg(id).cpu);
    if (cpuLegs.length) {
      // Every browser leg shares the machine with the S3 server: when the cores are full, the uploader's own page
      // is what a faster uploader could save, and that bounds any ratio between two of them.
      const cpuText = (id) => {
        const c = leg(id).cpu;
        const total = Object.values(c).reduce((x, y) => x + y, 0);
        const wallS = u.bytes / 1e6 / leg(id).MBps.median;
        return `${id}: ${fmt(total, 1)} CPU-s in ${fmt(wallS, 1)} s = ${fmt(total / wallS, 2)} of ${u.machine?.cores ?? '?'} cores; the page ${fmt(c['chromium renderer'] ?? 0, 2)}, the rest of Chromium ${fmt((c['chromium browser'] ?? 0) + (c['chromium network'] ?? 0), 2)}, the S3 server ${fmt(c.s3rver ?? 0, 2)}`;
      };
      add(g, `why: CPU-s of one ${mb} MB upload by process (median of the rounds) and the cores they keep busy`,
        cpuText(cpuLegs[0]), cpuLegs.slice(1).map(cpuText).join('; '), '–', '–', null);
    }
    const browserLegs = Object.keys(u.legs).filter((id) => u.legs[id].kind !== 'node' && leg(id)?.n);
    // ours and raw must reach their limit and never pass it; Uppy's limit also covers its signing requests
    const inflightOk = browserLegs.filter((id) => u.legs[id].kind !== 'uppy').every((id) => leg(id).maxInFlight === Math.min(u.legs[id].concurrency, u.parts));
    add(g, 'storage PUTs in flight, most seen at once in the page (ours and raw: exactly the configured limit; Uppy: its limit covers signing too)',
      browserLegs.map((id) => `${id} ${leg(id).maxInFlight}`).join(', '), '–', '–', 'each = its configured limit', browserLegs.length ? inflightOk : null);
    if (leg(shipped)?.n) {
      add(g, `peak JS heap of ours on ${mb} MB`, `${fmt(leg(shipped).heapPeakMB, 1)} MB`,
        [...legsOf('uppy'), ...legsOf('raw')].filter((id) => leg(id)?.n).map((id) => `${id} ${fmt(leg(id).heapPeakMB, 1)}`).join(', ') + ' MB', '–', `≤ ${UPLOAD_TARGETS.heapMB} MB`, leg(shipped).heapPeakMB <= UPLOAD_TARGETS.heapMB);
    }
  } else if (u) {
    rows.push({ group: 'upload', figure: 'upload: result from an older bench version (no per-leg summary)', measured: '–', baseline: '–', ratio: '–', target: '–', verdict: '–' });
  } else missing('upload');

  const rs = results.resume;
  if (failedRow('resume')) { /* reason shown */ } else if (rs?.legs) {
    const g = `resume${stamp('resume')}`;
    const x = rs.legs;
    const ok = (id) => x[id]?.n > 0;
    const peerIds = Object.keys(x).filter((id) => id !== 'ours');
    const mbOf = (v) => (v ? `${fmt(v.median / 1e6, 1)} MB (${fmt(v.min / 1e6, 1)}–${fmt(v.max / 1e6, 1)})` : 'n/a');
    const msOf = (v) => (v ? `${spread(v, 0)} ms` : 'n/a');
    const sOf = (v) => (v ? `${fmt(v.median / 1000, 1)} s (${fmt(v.min / 1000, 1)}–${fmt(v.max / 1000, 1)})` : 'n/a');
    const peerLine = (key, f) => peerIds.map((id) => `${x[id].label ?? id}: ${ok(id) ? f(x[id][key]) : `FAILED${x[id]?.failures?.length ? ` (${x[id].failures[0]})` : ''}`}`).join('; ');
    const head = `reload at ${fmt((rs.reloadAt ?? 0.5) * 100, 0)}% of a ${fmt(rs.bytes / 1e6, 0)} MB upload, median (min–max) of ${rs.rounds}`;
    if (ok('ours')) {
      const gr = ok('uppy-gr') ? x['uppy-gr'].resentBytes.median : null;
      const again = x.ours.resentBytes.median;
      add(g, `${head}: bytes sent again by ours (IndexedDB resume record)`, mbOf(x.ours.resentBytes), peerLine('resentBytes', mbOf),
        gr ? fmt(again / gr, 2) : '–', `≤ ${fmt(RESUME_TARGETS.resentBytes / 1e6, 0)} MB (1 part) and ≤ Uppy Golden Retriever's`,
        again <= RESUME_TARGETS.resentBytes && gr !== null && again <= gr);
      if (x.ours.cutBytes) {
        // what a cut request delivered may still count: tus keeps every byte of a cut PATCH, and a part whose body
        // arrived before the reload is found in storage's part list on resume
        const split = (id) => `cut by the reload ${mbOf(x[id].cutBytes)}; sent again ${mbOf(x[id].resentBytes)}, whole parts among them ${mbOf(x[id].wholeResentBytes)}`;
        add(g, `why: bytes of the requests the reload cut (ours: ${rs.concurrency ?? '?'} PUTs of ${fmt((rs.partSize ?? 0) / 1e6, 0)} MB parts in flight) and how much of them was sent again`,
          split('ours'), peerIds.filter((id) => ok(id) && x[id].cutBytes).map((id) => `${x[id].label ?? id}: ${split(id)}`).join('; '), '–', '–', null);
      }
      add(g, `${head}: time to resume (reload → first new byte sent), ours`, msOf(x.ours.resumeMs), peerLine('resumeMs', msOf), '–', '–', null);
      add(g, `${head}: total time (start → complete, reload included), ours`, sOf(x.ours.totalMs), peerLine('totalMs', sOf), '–', '–', null);
    } else {
      rows.push({ group: g, figure: `${head}: ours FAILED`, measured: 'FAILED', baseline: String(x.ours?.failures?.[0] ?? 'no successful round'), ratio: '–', target: '–', verdict: 'FAILED' });
    }
  } else missing('resume');

  const pl = results.player;
  if (failedRow('player')) { /* reason shown */ } else if (pl?.players) {
    playerRows(pl, `player${stamp('player')}`, add);
  } else if (pl) {
    // results of the earlier ours-vs-Shaka bench (kept in older docs/bench runs)
    const g = `player${stamp('player')}`;
    const x = pl.summary;
    add(g, `time to first frame, cold, from navigation (${fmt(pl.clip.seconds, 0)} s 1080p clip, median of ${pl.rounds}; first rendition ours ${x.oursStartHeight}p)`, ms(x.oursFirstFrameMs),
      `Shaka Player ${pl.shakaVersion}: ${ms(x.shakaFirstFrameMs)} (starts at ${x.shakaStartHeight}p)`, fmt(x.firstFrameRatio, 2), '≤ 1000 ms', x.oursFirstFrameMs <= 1000);
    add(g, `seek to playing, unbuffered target (median over ${x.oursSeeks} seeks)`, ms(x.oursSeekMs), `Shaka: ${ms(x.shakaSeekMs)} (${x.shakaSeeks} seeks)`, fmt(x.seekRatio, 2), '≤ 500 ms', x.oursSeekMs !== null && x.oursSeekMs <= 500);
    if (x.oursStalls !== null) add(g, 'stalls playing the whole clip at 1x', String(x.oursStalls), `Shaka: ${x.shakaStalls}`, '–', '0', x.oursStalls === 0);
  } else missing('player');

  const pw = results.playable;
  if (failedRow('playable')) { /* reason shown */ } else if (pw) {
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

export const PLAYER_TARGETS = { firstFrameVsBest: 1.0, seekVsBest: 0.5, stalls: 0, bitrateVsBest: 1.0 };

/**
 * The player rows (web/bench/player-peers.mjs): ours is the bare MsePlayer on the same page shell as the peers
 * (Shaka Player, dash.js, hls.js); the full app is a row of its own, shown against the same best peer but
 * without a verdict (its page does more than play). Every ratio is against the best peer of the run for that
 * figure; a player with a timeout is shown with it and cannot pass.
 */
function playerRows(pl, g, add) {
  const x = pl.summary;
  const label = { ours: 'ours (bare MsePlayer)', app: 'ours in the full app (watch page)', shaka: `Shaka ${pl.versions.shaka}`, dashjs: `dash.js ${pl.versions.dashjs}`, hlsjs: `hls.js ${pl.versions.hlsjs}` };
  const tos = (n) => (n ? `, ${n} TIMED OUT` : '');
  /** The peer with the best median of a figure (lowest unless `high`), among peers with a figure at all. */
  const best = (get, high = false) => pl.peers.filter((p) => Number.isFinite(get(p))).sort((a, b) => (high ? get(b) - get(a) : get(a) - get(b)))[0] ?? null;
  const mine = pl.players.filter((p) => p === 'ours' || p === 'app');
  const clip = `${fmt(pl.clip.seconds, 0)} s 1080p clip, ladder ${pl.clip.renditions.join('/')}`;

  const ff = (p) => x[p]?.firstFrame?.median;
  const bf = best(ff);
  const ffText = (p) => (x[p]?.firstFrame?.n ? `${spread(x[p].firstFrame, 0)} ms` : 'no first frame')
    + ` (${x[p]?.firstFrame?.ok ?? 0} ok${tos(x[p]?.firstFrame?.timedOut)}; started at ${x[p]?.startHeights?.join('/') || '?'}p)`;
  const peerFf = pl.peers.map((p) => `${label[p]}: ${ffText(p)}`).join('; ');
  for (const p of mine) {
    const r = bf && ff(p) ? ff(p) / ff(bf) : null;
    const verdictOk = p === 'ours'
      ? r !== null && r <= PLAYER_TARGETS.firstFrameVsBest && !x.ours.firstFrame.timedOut && x.ours.startAtPin && x[bf].startAtPin && !x[bf].firstFrame.timedOut
      : null;
    add(g, `first frame, cold CDN + cold browser cache, from navigation, ${p === 'app' ? 'app\'s own start rendition' : `all pinned at ${pl.pin}p`} (${clip}; median (min–max) of ${pl.rounds}, order rotated): ${label[p]}`,
      ffText(p), peerFf, r === null ? '–' : `${fmt(r, 2)} × ${bf}`, p === 'ours' ? `≤ ${PLAYER_TARGETS.firstFrameVsBest} × best peer, same start rendition, no timeouts` : '–', verdictOk);
  }

  const sk = (p) => x[p]?.seek?.median;
  const bs = best(sk);
  // a target still buffered when the seek starts is not a seek into unbuffered time: not counted, but shown
  const skText = (p) => (x[p]?.seek?.n ? `${spread(x[p].seek, 0)} ms` : 'none measured') + ` (${x[p]?.seek?.ok ?? 0} ok${tos(x[p]?.seek?.timedOut)}${x[p]?.seek?.buffered ? `, ${x[p].seek.buffered} targets already buffered` : ''})`;
  const peerSk = pl.peers.map((p) => `${label[p]}: ${skText(p)}`).join('; ');
  for (const p of mine) {
    const r = bs && sk(p) ? sk(p) / sk(bs) : null;
    add(g, `seek to playing, unbuffered target, ${p === 'app' ? 'app\'s own rendition, peers' : 'all'} pinned at ${pl.pin}p (${pl.seekRounds} rounds × ${pl.seeksPerRound} seeks, each on a fresh page 1.5 s after its first frame, order rotated): ${label[p]}`,
      skText(p), peerSk, r === null ? '–' : `${fmt(r, 2)} × ${bs}`, p === 'ours' ? `≤ ${PLAYER_TARGETS.seekVsBest} × best peer, no timeouts` : '–',
      p === 'ours' ? r !== null && r <= PLAYER_TARGETS.seekVsBest && !x.ours.seek.timedOut : null);
  }

  const byOffset = seekByOffset(pl);
  if (byOffset.ours?.length && bs) {
    const bucketText = (p) => byOffset[p].map((b) => `${b.from}–${b.from + 1} s: ${b.n ? `${fmt(b.median, 0)} ms (${b.n})` : '–'}`).join(', ');
    const fastest = Math.min(...byOffset.ours.filter((b) => b.n).map((b) => b.median));
    add(g, `why: seek to playing by the target's distance from its segment's keyframe (${pl.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS} s segments, one keyframe each; a player decodes from it to the target), median (seeks): ${label.ours}`,
      bucketText('ours'), pl.peers.filter((p) => byOffset[p].some((b) => b.n)).map((p) => `${label[p]}: ${bucketText(p)}`).join('; '),
      `ours' fastest bucket ${fmt(fastest, 0)} ms vs ${PLAYER_TARGETS.seekVsBest} × ${bs} = ${fmt(PLAYER_TARGETS.seekVsBest * sk(bs), 0)} ms`, '–', null);
  }

  if (pl.players.some((p) => x[p]?.stalls !== undefined)) {
    const stText = (p) => (x[p]?.stalls === null ? 'TIMED OUT' : `${x[p]?.stalls}${x[p]?.playEnded ? '' : ' (did not reach the end)'}`);
    for (const p of mine) {
      add(g, `stalls playing the whole clip at 1x, ${p === 'app' ? 'app\'s own rendition, peers' : 'all'} pinned at ${pl.pin}p, CDN cold: ${label[p]}`, stText(p), pl.peers.map((q) => `${label[q]}: ${stText(q)}`).join('; '), '–',
        p === 'ours' ? String(PLAYER_TARGETS.stalls) : '–', p === 'ours' ? x.ours.stalls === PLAYER_TARGETS.stalls && x.ours.playEnded : null);
    }
  }

  if (pl.players.some((p) => x[p]?.throttled)) {
    const kb = (p) => (x[p]?.throttled && !x[p].throttled.timedOut ? x[p].throttled.avgKbps : undefined);
    const bb = best(kb, true);
    const thText = (p) => {
      const t = x[p]?.throttled;
      if (!t) return 'not run';
      if (t.timedOut) return 'TIMED OUT';
      return `${fmt(t.avgKbps, 0)} kb/s, ${t.switches} switches (start ${t.startHeight}p, ${t.stalls} stalls${t.ended ? '' : ', did not reach the end'}; downloaded ${fmt(t.downloadedKbpsPerPlayed, 0)} kb/s per s played)`;
    };
    for (const p of mine) {
      const r = bb && kb(p) ? kb(p) / kb(bb) : null;
      const t = x[p]?.throttled;
      add(g, `bitrate played over the whole clip on a ${fmt(pl.throttleKbps / 1000, 1)} Mbit/s link (Chromium network emulation), every player's own ABR at its defaults (rendition on screen × media time): ${label[p]}`,
        thText(p), pl.peers.map((q) => `${label[q]}: ${thText(q)}`).join('; '), r === null ? '–' : `${fmt(r, 2)} × ${bb}`,
        p === 'ours' ? `≥ ${PLAYER_TARGETS.bitrateVsBest} × best peer, no more switches than it` : '–',
        p === 'ours' ? r !== null && r >= PLAYER_TARGETS.bitrateVsBest && t.switches <= x[bb].throttled.switches && t.ended : null);
    }
  }
}

/** The worker's default segment length (Media:SegmentSeconds), for player results that did not record theirs. */
const DEFAULT_SEGMENT_SECONDS = 4;

/**
 * Seek-to-playing per player, by how far the target lies past the keyframe that starts its segment, in 1 s
 * buckets: { player: [{ from, n, median }] }. Every player must fetch that segment and decode from its keyframe
 * up to the target, so the time grows with the distance for all of them alike; that floor is what bounds how
 * much faster than a peer a player can seek on the same media.
 */
export function seekByOffset(pl) {
  const seg = pl.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  const out = {};
  for (const p of pl.players) {
    const seeks = (pl.seek?.[p] ?? []).flatMap((r) => r.seeks).filter((x) => x.unbuffered && !x.timedOut && Number.isFinite(x.playingMs));
    out[p] = Array.from({ length: Math.ceil(seg) }, (_, from) => {
      // 1e-6: a target of 16 s set as 16.000000001 s still starts its segment
      const v = seeks.filter((x) => Math.floor((x.target % seg) + 1e-6) === from).map((x) => x.playingMs);
      return { from, n: v.length, median: v.length ? median(v) : null };
    });
  }
  return out;
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

/**
 * docs/benchmarks.md from one run's raw data (docs/bench/<run>/run.json and the benches' JSON next to it):
 * every figure in it can be traced to that folder.
 */
export function benchDoc(run, results, { tableCommit = run.commit } = {}) {
  const failed = Object.fromEntries(Object.entries(run.benches).filter(([, b]) => b.failed).map(([n, b]) => [n, b.failed]));
  const load = Object.fromEntries(Object.entries(run.benches).map(([n, b]) => [n, b.load]));
  const rows = tableRows(results, { fresh: new Set(Object.keys(run.benches)), failed, load });
  const m = run.machine;
  const noisy = Object.entries(run.benches).filter(([, b]) => b.load && !b.load.quiet).map(([n]) => n);
  return `# Benchmarks

Written by \`npm run bench\` (scripts/bench.mjs) from one complete run, all benches fresh; the table is
assembled in scripts/lib/bench-table.mjs from the raw figures of that run, kept in
[\`${run.dir}/\`](${run.dir.replace(/^docs\//, '')}/) (\`run.json\`: commit, machine, load samples, exit code of each
bench; one JSON per bench). Regenerate this page from them with \`npm run bench -- --doc-from ${run.dir}\`.
Every ratio is against a baseline measured in the same run, on the same machine.

- Commit: \`${run.commit}\`${run.dirty ? ' (with uncommitted changes)' : ''}${tableCommit !== run.commit ? `; this page's table written from its raw figures by the table code of \`${tableCommit}\`` : ''}
- Run: ${run.startedAt} → ${run.finishedAt} (${fmt(run.minutes, 0)} min)
- Machine: ${m.cpu}, ${m.cores} cores, ${fmt(m.ramGB, 1)} GB RAM, ${m.os}, Node ${m.node}
- Load during the run: ${loadLine(run.load)}
- ${noisy.length
    ? `**Not quiet** while ${noisy.join(', ')} ran (rule: ${run.load?.rule ?? 'see scripts/lib/bench-load.mjs'}): those verdicts read "noisy" and do not count.`
    : `Quiet throughout (rule: ${run.load?.rule ?? 'see scripts/lib/bench-load.mjs'}).`}

${markdownTable(rows)}

Per bench (seconds, exit code, load while it ran):

${Object.entries(run.benches).map(([n, b]) => `- \`${n}\`: ${fmt(b.seconds, 0)} s, exit ${b.exitCode}${b.failed ? ` — FAILED: ${b.failed}` : ''}; ${loadLine(b.load)}`).join('\n')}

## What each bench does

${BENCHES.map((b) => `- \`${b.name}\` (\`${b.file}\`): ${b.what}.`).join('\n')}

Notes:
- Quiet machine: scripts/bench.mjs samples, every 5 s, the 1-minute load average and the CPU used by
  processes outside the bench's own process tree (its stack, browser and ffmpeg load the machine too, so the
  load average alone cannot tell someone else's build from our own work). A bench during which other
  processes used more than the rule allows is marked NOT quiet, and its verdicts read "noisy".
- Upload: every leg uploads the same random file from the same page origin (the API serves the bench pages
  under \`/__bench/\`, built from \`web/bench/pages/\`) to the same S3 server; each leg is warmed up once, then
  the legs run in rotating order for every round; ratios are per round (paired), then their median and
  range. Ours is the SPA's engine with its \`concurrency\` option at 4 (shipped) and 6; the page counts the
  storage PUTs in flight for every leg, so the table shows the limit each uploader really kept. Uppy is
  \`@uppy/core\` + \`@uppy/aws-s3\` 5.x with our API behind its callbacks: "defaults" is its default
  \`limit\` (6, shared by signing requests and PUTs) and one \`signPart\` request per part; "tuned" is what
  its docs offer to cut the per-part signing round trip: \`getTemporarySecurityCredentials\` signs in the
  browser but only for \`*.amazonaws.com\` hosts and needs the S3 upload id, which our API keeps, so the
  tuned leg answers \`signPart\` from URLs signed in batches ahead of use (our API's batch sign call),
  which frees Uppy's \`limit\` for PUTs. 6.x (the current major) dropped the presigned multipart callbacks a
  backend-owned session needs. The raw page signs every part in one call and PUTs with bare
  \`XMLHttpRequest\`s. The Node leg is \`@aws-sdk/lib-storage\` \`Upload\` straight to the S3 server with
  the stack's keys, the file already in memory: no browser, no API, no disk, the transport's ceiling here.
- Resume: an upload is interrupted by a page reload once half its bytes are stored; the same page then
  resumes it with the same file. Bytes sent again = bytes the storage received in total minus the file size
  (request bodies to the S3 and tus servers); time to resume = reload → first byte of
  a new part or PATCH on the wire. tus runs \`@tus/server\` + \`@tus/s3-store\` in the bench's Node process
  against the stack's S3 server. Bytes are counted by a forward proxy in the bench (every request of the page
  goes through it): resume.json splits the bytes sent again into those of requests the reload cut off (a
  part-based upload loses every part in flight; the proxy's hop adds its socket buffers to what is in flight)
  and whole parts sent twice, and counts new sessions started after the reload.
- Player: every player runs on the same bare page (\`web/bench/pages/{ours,shaka,dashjs,hlsjs}.html\`: one
  1280×720 \`<video>\`, one timing probe installed before any page script) and reads the worker's output from
  the same CDN: ours (the framework-free \`MsePlayer\`) \`manifest.json\`, Shaka Player and dash.js
  \`manifest.mpd\`, hls.js \`master.m3u8\`; the full app's watch page is a row of its own. First frame,
  seeks and the unthrottled play-through are pinned to one start rendition with ABR off (read back from the
  picture's height and from each player); the throttled play-through leaves every player its own ABR. Before
  every counted load nginx's cache is emptied (cold CDN) and the browser context is fresh (cold HTTP cache);
  the order of the players rotates every round. First frame is from navigation start to the first presented
  frame (\`requestVideoFrameCallback\`), so it includes each page's script (minified: Shaka and dash.js ~0.8 MB,
  hls.js ~0.6 MB, ours ~20 kB). Timeouts are counted in every figure and a player with one cannot pass.
- Pipeline: for each source length (1080p30 with audio, x264 veryfast crf 18 like a camera's), every round
  runs three legs in rotating order after one uncounted warm-up round: ours (upload, then complete → the
  \`ready\` event through the stack with one worker; CPU-seconds of the worker's process tree, its ffmpeg
  children included, from /proc), bare (the worker's own ffmpeg command from \`plan-ffmpeg\`, by hand;
  CPU-seconds of that process) and per-rung (one ffmpeg per rung plus one for the thumbnails, the same
  outputs). Each leg waits for a quiet machine first. Ratios are paired (per round), then median and min–max;
  a verdict is PASS only when every round meets the target, FAIL when none does, and TIE when the target lies
  inside the rounds' spread. A ratio whose spread includes 1.0 is a tie between the two sides.
- Load: the per-address auth rate limits are raised for the run (all 50 users come from 127.0.0.1).
`;
}
