#!/usr/bin/env node
// `npm run bench`: builds the API and worker once, runs every benchmark (each a small script that measures
// one thing against a baseline of the same run and writes tests/artifacts/bench/<name>.json), keeps every
// run's raw figures under docs/bench/<YYYY-MM-DD>-<short commit>/ (run.json + each bench's JSON), prints one
// table of every figure with its baseline and target (scripts/lib/bench-table.mjs) and, after a complete
// run (every bench run now), writes docs/benchmarks.md from that folder alone.
//   npm run bench -- [--only a,b] [--skip a,b] [--list] [--table] [--doc-from docs/bench/<run>] [--no-build] [bench options…]
//   --only/--skip  benches by name (see --list): api, pickup, pipeline, load, upload, resume, player, playable
//   --table        no runs: the table from the results on disk (tests/artifacts/bench)
//   --doc-from D   no runs: docs/benchmarks.md again from the raw data of run D (it must be complete)
//   other options go to every bench (each ignores what it does not know), e.g. --rounds 5, --users 20,
//   --lengths 30,120,600 --rounds-long 1 (pipeline: source lengths in seconds, rounds for the 10-minute one;
//   playable reads --lengths too); --<bench>.<option> [value] goes to that bench alone (--player.rounds 3)
// While each bench runs, the load is sampled (scripts/lib/bench-load.mjs): a bench during which other
// processes kept the machine busy is marked NOT quiet and its verdicts read "noisy".
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { repoRoot, which } from './lib/util.mjs';
import { BENCHES, benchDoc, machineInfo, readResults, tableRows, textTable } from './lib/bench-table.mjs';
import { loadLine, startLoadSampler } from './lib/bench-load.mjs';
import { splitBenchArgs } from './lib/bench-args.mjs';

const argv = process.argv.slice(2);
const own = new Set(['--list', '--table', '--no-build']);
const withValue = ['--only', '--skip', '--doc-from'];
const valueOf = (flag) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
const names = (v) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : null);
const only = names(valueOf('--only'));
const skip = names(valueOf('--skip')) ?? [];
const passOn = argv.filter((a, i) => !own.has(a) && !withValue.includes(a) && !withValue.includes(argv[i - 1]));
const benchArgs = splitBenchArgs(passOn);
const artifacts = path.join(repoRoot, 'tests/artifacts/bench');
const docPath = path.join(repoRoot, 'docs/benchmarks.md');

if (argv.includes('--list')) {
  for (const b of BENCHES) console.log(`${b.name.padEnd(9)} ${b.file.padEnd(30)} ${b.what}`);
  process.exit(0);
}

const git = (...args) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();

/** docs/benchmarks.md from a run folder; refuses a run that was not complete. */
function writeDoc(runDir) {
  const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'));
  if (!run.complete) throw new Error(`${path.relative(repoRoot, runDir)} is not a complete run (benches run: ${Object.keys(run.benches).join(', ')}): docs/benchmarks.md is written only from one complete run`);
  // the page may be rewritten later by newer table code (--doc-from): it names the commit that wrote it
  fs.writeFileSync(docPath, benchDoc(run, readResults(runDir), { tableCommit: git('rev-parse', '--short', 'HEAD') }));
  console.log(`wrote ${path.relative(repoRoot, docPath)} from ${path.relative(repoRoot, runDir)}`);
}

if (valueOf('--doc-from')) {
  try { writeDoc(path.resolve(repoRoot, valueOf('--doc-from'))); process.exit(0); } catch (e) { console.error(e.message); process.exit(2); }
}
for (const n of [...(only ?? []), ...skip, ...benchArgs.benches]) {
  if (!BENCHES.some((b) => b.name === n)) { console.error(`unknown bench "${n}"; known: ${BENCHES.map((b) => b.name).join(', ')}`); process.exit(2); }
}
const selected = BENCHES.filter((b) => (!only || only.includes(b.name)) && !skip.includes(b.name));
const runNow = argv.includes('--table') ? [] : selected;

if (!runNow.length) {
  console.log(textTable(tableRows(readResults(artifacts))));
  process.exit(0);
}

const commit = git('rev-parse', '--short', 'HEAD');
// what this run writes itself does not make the checkout "dirty"
const dirty = git('status', '--porcelain', '--', '.', ':!docs/bench', ':!docs/benchmarks.md', ':!tests/artifacts').length > 0;
const startedAt = new Date();
const runDir = (() => {
  const base = path.join(repoRoot, 'docs/bench', `${startedAt.toISOString().slice(0, 10)}-${commit}`);
  for (let i = 1; ; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    if (!fs.existsSync(dir)) { fs.mkdirSync(dir, { recursive: true }); return dir; }
  }
})();
const run = {
  dir: path.relative(repoRoot, runDir),
  startedAt: startedAt.toISOString(),
  finishedAt: null,
  minutes: null,
  commit,
  dirty,
  args: passOn,
  machine: machineInfo(),
  complete: false,
  benches: {},
  load: null,
};
const saveRun = () => fs.writeFileSync(path.join(runDir, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
saveRun();
console.log(`raw figures of this run → ${run.dir}/ (commit ${commit}${dirty ? ', uncommitted changes' : ''})`);
const runLoad = startLoadSampler();

// One build for all: each bench starts its own stack with --no-build, instead of one build per bench under the lock.
if (!argv.includes('--no-build')) {
  for (const project of ['server/StreamForge.Api/StreamForge.Api.csproj', 'worker/StreamForge.Worker/StreamForge.Worker.csproj']) {
    const args = ['build', project, '-c', 'Release', '--nologo', '-clp:NoSummary'];
    const [cmd, cmdArgs] = which('flock') ? ['flock', ['-o', '/tmp/dotnet.lock', 'dotnet', ...args]] : ['dotnet', args];
    console.log(`\n=== build: dotnet ${args.join(' ')}`);
    const r = spawnSync(cmd, cmdArgs, { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) { console.error(`build failed (exit ${r.status})`); process.exit(1); }
  }
}

/** Runs one bench with its output passed through; resolves { code, tail } (the last lines, for a failure's reason). */
function runBench(b) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, b.file), '--no-build', ...benchArgs.argsFor(b.name)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    const keep = (chunk) => {
      for (const line of String(chunk).split('\n')) if (line.trim()) tail.push(line);
      tail.splice(0, Math.max(0, tail.length - 60));
    };
    child.stdout.on('data', (d) => { process.stdout.write(d); keep(d); });
    child.stderr.on('data', (d) => { process.stderr.write(d); keep(d); });
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, tail }));
  });
}

/** The most telling line of a failed bench's output: its own "failed:" line, else the last error, else the last line. */
function failureReason(tail, code, signal) {
  const pick = [...tail].reverse();
  const line = pick.find((l) => /\bfailed:|FAILED/.test(l)) ?? pick.find((l) => /error/i.test(l)) ?? pick[0] ?? '';
  return `exit ${signal ?? code}: ${line.replace(/^\[[\w-]+\]\s*/, '').trim().slice(0, 280)}`;
}

fs.mkdirSync(artifacts, { recursive: true });
for (const b of runNow) {
  console.log(`\n=== ${b.name}: ${b.file} (${b.what}); loadavg ${machineInfo().loadavg}`);
  const started = Date.now();
  // a result left from an earlier run must not pass for this one's
  fs.rmSync(path.join(artifacts, b.json), { force: true });
  const load = startLoadSampler();
  const { code, signal, tail } = await runBench(b);
  // the samples themselves are kept once, in the whole run's load
  const { series, ...benchLoad } = load.stop();
  const entry = { file: b.file, json: b.json, exitCode: code, seconds: (Date.now() - started) / 1000, failed: null, load: benchLoad };
  const produced = path.join(artifacts, b.json);
  if (code !== 0) entry.failed = failureReason(tail, code, signal);
  else if (!fs.existsSync(produced)) entry.failed = `exit 0 but no ${b.json} written`;
  if (fs.existsSync(produced)) fs.copyFileSync(produced, path.join(runDir, b.json));
  run.benches[b.name] = entry;
  saveRun();
  console.log(`=== ${b.name}: ${entry.failed ? `FAILED (${entry.failed})` : 'ok'} in ${entry.seconds.toFixed(0)} s; ${loadLine(entry.load)}`);
}

run.finishedAt = new Date().toISOString();
run.minutes = (Date.now() - startedAt.getTime()) / 60000;
run.load = runLoad.stop();
run.complete = runNow.length === BENCHES.length;
saveRun();

const failed = Object.fromEntries(Object.entries(run.benches).filter(([, e]) => e.failed).map(([n, e]) => [n, e.failed]));
const loads = Object.fromEntries(Object.entries(run.benches).map(([n, e]) => [n, e.load]));
const rows = tableRows(readResults(runDir), { fresh: new Set(Object.keys(run.benches)), failed, load: loads })
  .filter((r) => run.benches[r.group.split(' ')[0]]); // this run's benches only: nothing stitched from older runs
const m = run.machine;
console.log(`\n${'='.repeat(40)} benchmarks ${'='.repeat(40)}\n${run.startedAt} — commit ${commit}${dirty ? ' (uncommitted changes)' : ''}; `
  + `${m.cpu}, ${m.cores} cores, ${m.ramGB.toFixed(1)} GB RAM, ${m.os}, Node ${m.node}\n${loadLine(run.load)}\n\n${textTable(rows)}\n`);
console.log(`${runNow.length - Object.keys(failed).length} benchmark(s) ok, ${Object.keys(failed).length} failed${Object.keys(failed).length ? `: ${Object.keys(failed).join(', ')}` : ''}; `
  + `${run.minutes.toFixed(1)} min; raw figures in ${run.dir}/`);
if (run.complete) writeDoc(runDir);
else console.log('docs/benchmarks.md not written: it is written only from a complete run (no --only/--skip)');
process.exit(Object.keys(failed).length ? 1 : 0);
