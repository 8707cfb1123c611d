// node --test scripts/lib/bench-table.test.mjs — the benchmark table and the load sampler (scripts/bench.mjs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { BENCHES, benchDoc, markdownTable, oneDecodeSavings, seekByOffset, tableRows } from './bench-table.mjs';
import { startLoadSampler, treeCpuSeconds } from './bench-load.mjs';

const quiet = { samples: 10, intervalS: 5, loadavg: { min: 0.5, median: 1, max: 2 }, otherCores: { median: 0.05, p90: 0.1, max: 0.2 }, quiet: true, rule: 'r' };
const busy = { ...quiet, otherCores: { median: 1.4, p90: 1.9, max: 2 }, quiet: false };
const s = (median, min = median, max = median) => ({ median, min, max });
const paired = (median, min = median, max = median) => ({ median, min, max, n: 5 });

function uploadResult(oursVsUppy) {
  const legs = {
    'ours-4': { kind: 'ours', concurrency: 4, label: 'ours, 4 in flight' },
    'ours-6': { kind: 'ours', concurrency: 6, label: 'ours, 6 in flight' },
    'uppy-default': { kind: 'uppy', concurrency: 6, label: 'Uppy defaults' },
    'uppy-tuned': { kind: 'uppy', concurrency: 6, label: 'Uppy tuned' },
    'raw-4': { kind: 'raw', concurrency: 4, label: 'raw 4' },
    'raw-8': { kind: 'raw', concurrency: 8, label: 'raw 8' },
    'node-4': { kind: 'node', concurrency: 4, label: 'node 4' },
  };
  const leg = (mbps, maxInFlight) => ({ n: 5, MBps: s(mbps, mbps - 2, mbps + 2), maxInFlight, heapPeakMB: 3 });
  return {
    at: '2026-01-01T00:00:00Z', bytes: 500e6, parts: 50, partSize: 10e6, rounds: 5, uppyVersion: '5.1.0', shipped: 'ours-4', legs,
    summary: { 'ours-4': leg(110, 4), 'ours-6': leg(112, 6), 'uppy-default': leg(90, 6), 'uppy-tuned': leg(100, 6), 'raw-4': leg(108, 4), 'raw-8': leg(115, 8), 'node-4': leg(200, null) },
    best: { uppy: 'uppy-tuned', raw: 'raw-8' },
    paired: { 'ours-4/uppy-best': paired(oursVsUppy, oursVsUppy - 0.03, oursVsUppy + 0.03), 'ours-4/raw-best': paired(0.96), 'ours-6/uppy-best': paired(1.1), 'ours-6/raw-best': paired(0.97), 'ours-4/node-4': paired(0.55) },
  };
}

test('upload rows: the verdict is the paired ratio the row claims, against Uppy at its best configuration and the best raw page', () => {
  const results = Object.fromEntries(BENCHES.map((b) => [b.name, null]));
  results.upload = uploadResult(1.02);
  const rows = tableRows(results, { fresh: new Set(['upload']), load: { upload: quiet } }).filter((r) => r.group.startsWith('upload'));
  const shipped = rows.filter((r) => r.figure.includes('shipped default'));
  assert.deepEqual(shipped.map((r) => r.verdict), ['FAIL', 'PASS']); // 1.02 < 1.05; 0.96 ≥ 0.95
  assert.match(shipped[0].ratio, /^1\.020 \(0\.990–1\.050, n 5\)$/);
  assert.match(shipped[0].figure, /at its best \(uppy-tuned\)/);
  assert.equal(rows.find((r) => r.figure.includes('ours, 6 in flight') && r.figure.includes('Uppy')).verdict, '–'); // no target: not the shipped setting
  assert.equal(rows.find((r) => r.figure.startsWith('storage PUTs in flight')).verdict, 'PASS');
  assert.ok(!rows.some((r) => r.figure.startsWith('why: CPU')), 'no CPU figures, no why row');
  results.upload.machine = { cores: 2 };
  results.upload.summary['ours-4'].cpu = { 'chromium renderer': 0.25, 'chromium browser': 1.5, 'chromium network': 0.5, s3rver: 2.25 }; // 4.5 CPU-s
  const why = tableRows(results, { fresh: new Set(['upload']) }).find((r) => r.figure.startsWith('why: CPU'));
  // 500 MB at 110 MB/s: 4.55 s, so 0.99 of 2 cores
  assert.equal(why.measured, 'ours-4: 4.5 CPU-s in 4.5 s = 0.99 of 2 cores; the page 0.25, the rest of Chromium 2.00, the S3 server 2.25');
  assert.equal(why.verdict, '–');
  results.upload.summary['ours-6'].maxInFlight = 4; // the flag did not reach the engine
  assert.equal(tableRows(results, { fresh: new Set(['upload']) }).find((r) => r.figure.startsWith('storage PUTs in flight')).verdict, 'FAIL');
  results.upload = uploadResult(1.08);
  assert.equal(tableRows(results, { fresh: new Set(['upload']) }).find((r) => r.figure.includes('shipped default')).verdict, 'PASS');
});

test('a bench on a busy machine keeps its figures but its verdicts read "noisy"; a failed bench is one FAILED row with its reason', () => {
  const results = Object.fromEntries(BENCHES.map((b) => [b.name, null]));
  results.upload = uploadResult(1.2);
  const rows = tableRows(results, { fresh: new Set(['upload', 'resume']), load: { upload: busy }, failed: { resume: 'exit 1: tus server refused the PATCH' } });
  const upload = rows.filter((r) => r.group.startsWith('upload'));
  assert.ok(upload.every((r) => r.verdict === 'noisy' || r.verdict === '–'));
  assert.match(upload[0].group, /NOT quiet: other processes 1\.4 cores/);
  const resume = rows.filter((r) => r.group === 'resume');
  assert.equal(resume.length, 1);
  assert.equal(resume[0].verdict, 'FAILED');
  assert.match(resume[0].baseline, /tus server refused/);
  assert.ok(markdownTable(rows).includes('| FAILED |'));
});

test('resume rows: bytes sent again ≤ one part and ≤ Uppy Golden Retriever\'s', () => {
  const results = Object.fromEntries(BENCHES.map((b) => [b.name, null]));
  const leg = (again, label) => ({ n: 3, label, resentBytes: s(again), resumeMs: s(400), totalMs: s(9000) });
  results.resume = { at: 'x', bytes: 500e6, rounds: 3, reloadAt: 0.5, legs: { ours: leg(8e6, 'ours'), 'uppy-gr': leg(30e6, 'Uppy GR'), tus: leg(2e6, 'tus') } };
  const row = () => tableRows(results, { fresh: new Set(['resume']) }).find((r) => r.figure.includes('bytes sent again'));
  assert.equal(row().verdict, 'PASS');
  assert.match(row().baseline, /Uppy GR: 30\.0 MB/);
  results.resume.legs.ours = leg(12e6, 'ours');
  assert.equal(row().verdict, 'FAIL'); // more than one 10 MB part
  results.resume.legs.ours = leg(5e6, 'ours');
  results.resume.legs['uppy-gr'] = leg(4e6, 'Uppy GR');
  assert.equal(row().verdict, 'FAIL'); // more than Golden Retriever
  results.resume.legs['uppy-gr'] = { n: 0, label: 'Uppy GR', failures: ['no resume'] };
  assert.equal(row().verdict, 'FAIL'); // nothing to compare with is not a pass
});

function pipelineResult({ wall, cpu, seconds = 30, n = 3, load = quiet }) {
  const pr = ([median, min, max]) => ({ median, min, max, n, values: [] });
  const sp = (median) => ({ median, min: median * 0.9, max: median * 1.1, n });
  const summary = {
    n,
    ours: { wallMs: sp(20_000), cpuS: sp(36), stackCpuS: sp(38), otherCores: sp(0.05), stages: { beforeMs: sp(400), ffmpegMs: sp(19_000), afterMs: sp(600) } },
    bare: { wallMs: sp(19_500), cpuS: sp(35), otherCores: sp(0.05) },
    perRung: {
      wallMs: sp(40_000), cpuS: sp(60), otherCores: sp(0.05), rungsOnly: { wallMs: sp(36_000), cpuS: sp(54) },
      rungs: ['1920x1080', '1280x720'].map((size) => ({ size, wallMs: sp(18_000), cpuS: sp(27) })), thumbnails: { wallMs: sp(4000), cpuS: sp(6) },
    },
    ratios: { oursOverBareWall: pr(wall), oursOverBareCpu: pr([1.02, 1.0, 1.04]), bareOverPerRungCpu: pr(cpu), bareOverPerRungWall: pr([0.5, 0.45, 0.55]), bareOverRungsOnlyCpu: pr([0.65, 0.6, 0.7]) },
  };
  return { at: 'x', preset: 'veryfast', lengths: [{ seconds, rungs: ['1920x1080', '1280x720'], load, summary, rounds: [] }], pickups: [{ client: 300 }], mem: null };
}

test('pipeline rows: per length, the verdict is the paired ratio the row claims; a target inside the spread is a tie', () => {
  const results = Object.fromEntries(BENCHES.map((b) => [b.name, null]));
  const rowsOf = () => tableRows(results, { fresh: new Set(['pipeline']), load: { pipeline: quiet } }).filter((r) => r.group.startsWith('pipeline'));
  const ready = () => rowsOf().find((r) => r.figure.includes('complete → ready'));
  const decode = () => rowsOf().find((r) => r.figure.includes('one decode'));
  results.pipeline = pipelineResult({ wall: [1.03, 1.01, 1.04], cpu: [0.58, 0.55, 0.6] });
  assert.equal(ready().verdict, 'PASS');
  assert.equal(decode().verdict, 'PASS');
  assert.match(ready().ratio, /^wall 1\.030 \(1\.010–1\.040, n 3\); CPU 1\.020 \(1\.000–1\.040, n 3; 1\.0 inside: a tie\)$/);
  assert.match(ready().figure, /^30 s 1080p, median \(min–max\) of 3: complete → ready/);
  assert.ok(rowsOf().every((r) => r.figure.length <= 130), 'the text table cuts figures at 130 characters');
  assert.match(decode().ratio, /^CPU 0\.580/);
  assert.match(rowsOf().find((r) => r.figure.includes('where ours')).measured, /^before ffmpeg \(queue, download, probe\) 0\.4 s \(0\.4–0\.4\); ffmpeg 19\.0 s/); // the CPU ratio is the claim, wall beside it
  results.pipeline = pipelineResult({ wall: [1.04, 0.98, 1.09], cpu: [0.7, 0.66, 0.75] });
  assert.equal(ready().verdict, 'TIE'); // 1.05 lies inside 0.98–1.09
  assert.equal(decode().verdict, 'FAIL'); // every round above 0.65
  results.pipeline = pipelineResult({ wall: [1.2, 1.2, 1.2], cpu: [0.5, 0.5, 0.5], seconds: 600, n: 1 });
  assert.equal(ready().verdict, 'FAIL');
  assert.match(ready().ratio, /n 1: no spread/);
  assert.match(ready().figure, /^10 min 1080p/);
  results.pipeline = pipelineResult({ wall: [1.0, 1.0, 1.0], cpu: [0.5, 0.5, 0.5], load: busy });
  assert.ok(rowsOf().filter((r) => r.figure.includes('1080p')).every((r) => r.verdict === 'noisy' || r.verdict === '–'));
  assert.match(ready().group, /30 s: NOT quiet/);
  assert.equal(rowsOf().find((r) => r.figure.startsWith('pickup')).verdict, 'PASS'); // the length's load does not touch the others
  // in decodes of 6 CPU-s: per-rung 60 − bare 40 = 20 saved = 3.33 decodes; 0.35 × 60 = 21 needed = 3.5 decodes
  results.pipeline = pipelineResult({ wall: [1.0, 1.0, 1.0], cpu: [0.67, 0.6, 0.7] });
  const round = (bare, thumbs) => ({ bare: { cpuS: bare }, perRung: { cpuS: 60, rungs: [{}, {}], thumbnails: { cpuS: thumbs } } });
  results.pipeline.lengths[0].rounds = [round(40, 6), round(36, 6), { bare: { cpuS: 40 } }];
  const saving = oneDecodeSavings(results.pipeline.lengths[0]);
  assert.equal(saving.repeated, 2);
  assert.deepEqual([saving.saved.n, saving.saved.min, saving.saved.max].map((v) => Math.round(v * 100) / 100), [2, 3.33, 4]);
  assert.equal(saving.needed.median, 3.5);
  const why = rowsOf().find((r) => r.figure.includes('why'));
  assert.equal(why.measured, 'saved 3.67 (3.33–4.00) decodes (per-rung − bare)');
  assert.equal(why.baseline, "repeated decodes one process avoids: 2; the 0.65 target needs 3.50 (3.50–3.50) decodes' worth saved");
  assert.equal(why.verdict, '–');
  assert.ok(rowsOf().every((r) => r.figure.length <= 130));
  results.pipeline = { at: 'x', clipSeconds: 60, a: {}, b: {}, c: {} }; // an older result: said so, not misread
  assert.match(rowsOf()[0].figure, /older bench version/);
});

function playerResult() {
  const p = (ff, seek, kbps, switches, extra = {}) => ({
    firstFrame: { n: 5, ...s(ff, ff - 50, ff + 50), ok: 5, timedOut: 0 }, startHeights: [720], reportedStartHeights: [720], startAtPin: true,
    seek: { n: 20, ...s(seek), ok: 20, timedOut: 0, buffered: 7 }, stalls: 0, playEnded: true,
    throttled: { avgKbps: kbps, switches, startHeight: 480, stalls: 0, ended: true, downloadedKbpsPerPlayed: kbps + 100 }, ...extra,
  });
  return {
    at: 'x', clip: { seconds: 60, renditions: [360, 480, 720, 1080] }, rounds: 5, seekRounds: 3, seeksPerRound: 9, pin: 720, throttleKbps: 4000,
    players: ['ours', 'shaka', 'dashjs', 'hlsjs', 'app'], peers: ['shaka', 'dashjs', 'hlsjs'], versions: { shaka: '5', dashjs: '5', hlsjs: '1' },
    summary: { ours: p(500, 100, 2800, 1), shaka: p(700, 300, 2500, 2), dashjs: p(550, 250, 2800, 1), hlsjs: p(900, 400, 2000, 3), app: { ...p(800, 120, 2000, 1), startAtPin: null, startHeights: [480] } },
  };
}

test('player rows: ratios against the best peer of each figure; a timeout or another start rendition is no pass; the app row has no verdict', () => {
  const results = Object.fromEntries(BENCHES.map((b) => [b.name, null]));
  results.player = playerResult();
  const rows = () => tableRows(results, { fresh: new Set(['player']) }).filter((r) => r.group.startsWith('player'));
  const ours = (what) => rows().find((r) => r.figure.startsWith(what) && r.figure.includes('bare MsePlayer'));
  assert.equal(ours('first frame').ratio, '0.91 × dashjs');
  assert.equal(ours('first frame').verdict, 'PASS');
  assert.equal(ours('seek').ratio, '0.40 × dashjs');
  assert.equal(ours('seek').verdict, 'PASS');
  assert.equal(ours('stalls').verdict, 'PASS');
  assert.equal(ours('bitrate').ratio, '1.00 × dashjs'); // the peer with the best bitrate, ties to the first
  assert.equal(ours('bitrate').verdict, 'PASS');
  assert.ok(rows().filter((r) => r.figure.includes('full app')).every((r) => r.verdict === '–'));
  results.player.summary.ours.firstFrame.timedOut = 1;
  assert.equal(ours('first frame').verdict, 'FAIL');
  assert.match(ours('first frame').measured, /1 TIMED OUT/);
  results.player = playerResult();
  results.player.summary.dashjs.startAtPin = false; // the best peer started elsewhere: not the same work
  assert.equal(ours('first frame').verdict, 'FAIL');
  results.player = playerResult();
  results.player.summary.ours.seek = { ...results.player.summary.ours.seek, median: 150 }; // 0.6 × the best peer
  assert.equal(ours('seek').verdict, 'FAIL');
  results.player.summary.ours.throttled.switches = 2; // same bitrate as dash.js, more switches
  assert.equal(ours('bitrate').verdict, 'FAIL');
  results.player.summary.ours.stalls = 1;
  assert.equal(ours('stalls').verdict, 'FAIL');
});

test('resume: the why row shows the bytes the reload cut beside those sent again and the whole parts among them', () => {
  const results = Object.fromEntries(BENCHES.map((b) => [b.name, null]));
  const leg = (label, resent, cut, whole) => ({ label, n: 3, resentBytes: s(resent), cutBytes: s(cut), wholeResentBytes: s(whole), resumeMs: s(300), totalMs: s(5000) });
  results.resume = {
    at: 'x', bytes: 500e6, partSize: 10e6, concurrency: 4, rounds: 3, reloadAt: 0.5,
    legs: { ours: leg('ours', 20e6, 20e6, 0), 'uppy-gr': leg('Uppy GR', 40e6, 30e6, 10e6), tus: leg('tus', 0.1e6, 260e6, 0) },
  };
  const rows = tableRows(results, { fresh: new Set(['resume']) }).filter((r) => r.group.startsWith('resume'));
  assert.equal(rows[0].verdict, 'FAIL'); // 20 MB > 1 part
  const why = rows.find((r) => r.figure.startsWith('why'));
  assert.match(why.figure, /4 PUTs of 10 MB parts in flight/);
  assert.equal(why.measured, 'cut by the reload 20.0 MB (20.0–20.0); sent again 20.0 MB (20.0–20.0), whole parts among them 0.0 MB (0.0–0.0)');
  assert.equal(why.baseline, 'Uppy GR: cut by the reload 30.0 MB (30.0–30.0); sent again 40.0 MB (40.0–40.0), whole parts among them 10.0 MB (10.0–10.0); '
    + 'tus: cut by the reload 260.0 MB (260.0–260.0); sent again 0.1 MB (0.1–0.1), whole parts among them 0.0 MB (0.0–0.0)');
  assert.equal(why.verdict, '–');
});

test('seeks by distance from the keyframe: 1 s buckets of the segment, timeouts and buffered targets left out; the why row has no verdict', () => {
  const pl = playerResult();
  const sk = (target, playingMs, extra = {}) => ({ target, playingMs, unbuffered: true, timedOut: false, ...extra });
  pl.seek = {
    ours: [{ seeks: [sk(16, 100), sk(48, 120), sk(30, 250), sk(31.2, 300), sk(9, 900, { timedOut: true }), sk(1, 60, { unbuffered: false })] }],
    shaka: [{ seeks: [sk(16.2, 150), sk(30, 260)] }], dashjs: [], hlsjs: [], app: [],
  };
  const b = seekByOffset(pl);
  assert.deepEqual(b.ours, [{ from: 0, n: 2, median: 110 }, { from: 1, n: 0, median: null }, { from: 2, n: 1, median: 250 }, { from: 3, n: 1, median: 300 }]);
  assert.deepEqual(b.shaka.map((x) => x.n), [1, 0, 1, 0]);
  assert.deepEqual(seekByOffset({ ...pl, segmentSeconds: 2 }).ours.map((x) => x.n), [3, 1]); // 16, 48, 30 start a 2 s segment
  const results = Object.fromEntries(BENCHES.map((n) => [n.name, null]));
  results.player = pl;
  const why = tableRows(results, { fresh: new Set(['player']) }).find((r) => r.figure.startsWith('why: seek'));
  assert.equal(why.measured, '0–1 s: 110 ms (2), 1–2 s: –, 2–3 s: 250 ms (1), 3–4 s: 300 ms (1)');
  assert.match(why.baseline, /^Shaka 5: 0–1 s: 150 ms \(1\)/); // peers without a measured seek are left out
  assert.equal(why.ratio, "ours' fastest bucket 110 ms vs 0.5 × dashjs = 125 ms");
  assert.equal(why.verdict, '–');
});

test('the document comes from one run: its commit, machine, load, and only its benches', () => {
  const results = Object.fromEntries(BENCHES.map((b) => [b.name, null]));
  results.upload = uploadResult(1.1);
  const run = {
    dir: 'docs/bench/2026-01-01-abc1234', startedAt: 'a', finishedAt: 'b', minutes: 60, commit: 'abc1234', dirty: false, complete: true,
    machine: { cpu: 'CPU', cores: 2, ramGB: 8, os: 'Linux', node: 'v20' }, load: busy,
    benches: Object.fromEntries(BENCHES.map((b) => [b.name, { seconds: 1, exitCode: b.name === 'api' ? 1 : 0, failed: b.name === 'api' ? 'exit 1: boom' : null, load: b.name === 'upload' ? busy : quiet }])),
  };
  const doc = benchDoc(run, results);
  assert.match(doc, /Commit: `abc1234`/);
  assert.match(doc, /docs\/bench\/2026-01-01-abc1234/);
  assert.match(doc, /\*\*Not quiet\*\* while upload ran/);
  assert.match(doc, /\| api \| api: FAILED \| FAILED \| exit 1: boom/);
  assert.match(doc, /\| noisy \|/);
  assert.doesNotMatch(doc, /table code of/);
  assert.match(benchDoc(run, results, { tableCommit: 'def5678' }), /Commit: `abc1234`; this page's table written from its raw figures by the table code of `def5678`/);
});

test('the load sampler counts our own process tree apart from the rest of the machine', async () => {
  const before = treeCpuSeconds();
  const child = spawn(process.execPath, ['-e', 'while (process.cpuUsage().user < 600000);']);
  await new Promise((resolve) => child.on('close', resolve));
  // the reaped child's CPU is now in our cutime: still counted as ours
  assert.ok(treeCpuSeconds() - before >= 0.5, `tree CPU grew by ${treeCpuSeconds() - before}`);
  const sampler = startLoadSampler({ intervalMs: 300 });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const l = sampler.stop();
  assert.ok(l.samples >= 2);
  assert.ok(l.loadavg.max >= l.loadavg.min);
  assert.equal(typeof l.quiet, 'boolean');
});
