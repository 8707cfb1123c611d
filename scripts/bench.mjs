#!/usr/bin/env node
// `npm run bench`: builds the API and worker once, runs every benchmark (each a small script that measures
// one thing against a baseline of the same run and writes tests/artifacts/bench/<name>.json), then prints
// one table of every figure with its baseline and target (scripts/lib/bench-table.mjs) and, after a full
// run, writes it to docs/benchmarks.md with the date and the machine.
//   npm run bench -- [--only a,b] [--skip a,b] [--list] [--table] [--doc | --no-doc] [--no-build] [bench options…]
//   --only/--skip  benches by name (see --list): api, pickup, pipeline, load, upload, player, playable
//   --table        no runs: the table from the results on disk
//   --doc          write docs/benchmarks.md after a subset too (rows not run now are marked with their date)
//   other options go to every bench (each ignores what it does not know), e.g. --rounds 3, --users 20
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot, which } from './lib/util.mjs';
import { BENCHES, machineInfo, markdownTable, readResults, tableRows, textTable } from './lib/bench-table.mjs';

const argv = process.argv.slice(2);
const own = new Set(['--list', '--table', '--doc', '--no-doc', '--no-build']);
const valueOf = (flag) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
const names = (v) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : null);
const only = names(valueOf('--only'));
const skip = names(valueOf('--skip')) ?? [];
const passOn = argv.filter((a, i) => !own.has(a) && !['--only', '--skip'].includes(a) && !['--only', '--skip'].includes(argv[i - 1]));
const artifacts = path.join(repoRoot, 'tests/artifacts/bench');

if (argv.includes('--list')) {
  for (const b of BENCHES) console.log(`${b.name.padEnd(9)} ${b.file.padEnd(30)} ${b.what}`);
  process.exit(0);
}
for (const n of [...(only ?? []), ...skip]) {
  if (!BENCHES.some((b) => b.name === n)) { console.error(`unknown bench "${n}"; known: ${BENCHES.map((b) => b.name).join(', ')}`); process.exit(2); }
}
const selected = BENCHES.filter((b) => (!only || only.includes(b.name)) && !skip.includes(b.name));
const runNow = argv.includes('--table') ? [] : selected;
const machineStart = machineInfo();
const t0 = Date.now();

// One build for all: each bench starts its own stack with --no-build, instead of six builds under the lock.
if (runNow.length && !argv.includes('--no-build')) {
  for (const project of ['server/StreamForge.Api/StreamForge.Api.csproj', 'worker/StreamForge.Worker/StreamForge.Worker.csproj']) {
    const args = ['build', project, '-c', 'Release', '--nologo', '-clp:NoSummary'];
    const [cmd, cmdArgs] = which('flock') ? ['flock', ['-o', '/tmp/dotnet.lock', 'dotnet', ...args]] : ['dotnet', args];
    console.log(`\n=== build: dotnet ${args.join(' ')}`);
    const r = spawnSync(cmd, cmdArgs, { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) { console.error(`build failed (exit ${r.status})`); process.exit(1); }
  }
}

const failures = [];
const fresh = new Set();
for (const b of runNow) {
  console.log(`\n=== ${b.name}: ${b.file} (${b.what}); loadavg ${machineInfo().loadavg}`);
  const started = Date.now();
  // a result left from an earlier run must not pass for this one's
  fs.rmSync(path.join(artifacts, b.json), { force: true });
  const r = spawnSync(process.execPath, [path.join(repoRoot, b.file), '--no-build', ...passOn], { cwd: repoRoot, stdio: 'inherit' });
  const code = r.status ?? 1;
  console.log(`=== ${b.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (code !== 0) failures.push(b.name);
  if (fs.existsSync(path.join(artifacts, b.json))) fresh.add(b.name);
}

const results = readResults(artifacts);
const rows = tableRows(results, fresh);
const machineEnd = machineInfo();
const machineLine = `${machineEnd.cpu}, ${machineEnd.cores} cores, ${machineEnd.ramGB.toFixed(1)} GB RAM, ${machineEnd.os}, Node ${machineEnd.node}; `
  + `load average ${machineStart.loadavg} at the start, ${machineEnd.loadavg} at the end`;
console.log(`\n${'='.repeat(40)} benchmarks ${'='.repeat(40)}\n${new Date().toISOString()} — ${machineLine}\n\n${textTable(rows)}\n`);
if (runNow.length) console.log(`${runNow.length - failures.length} benchmark(s) ok, ${failures.length} failed${failures.length ? `: ${failures.join(', ')}` : ''}; ${((Date.now() - t0) / 60000).toFixed(1)} min`);

const full = runNow.length === BENCHES.length;
if ((full || argv.includes('--doc')) && !argv.includes('--no-doc')) {
  const doc = path.join(repoRoot, 'docs/benchmarks.md');
  const ran = runNow.map((b) => b.name);
  fs.writeFileSync(doc, `# Benchmarks

Written by \`npm run bench\` (scripts/bench.mjs; the table is assembled in scripts/lib/bench-table.mjs
from the figures each bench writes to \`tests/artifacts/bench/\`). Every ratio is against a baseline
measured in the same run, on the same machine. Rerun a part with \`npm run bench -- --only load\`
(names: ${BENCHES.map((b) => `\`${b.name}\``).join(', ')}); \`--list\` says what each measures.

- Date: ${new Date().toISOString()}${ran.length ? ` (benches run: ${ran.join(', ')}; ${((Date.now() - t0) / 60000).toFixed(0)} min)` : ''}
- Machine: ${machineLine}.
  The machine was shared with other work during the run (the load averages above, and each bench's
  own log prints the load before each measured leg): absolute figures are lower than on an idle
  machine; the ratios compare legs that ran under the same conditions, alternating where it matters.

${markdownTable(rows)}

## What each bench does

${BENCHES.map((b) => `- \`${b.name}\` (\`${b.file}\`): ${b.what}.`).join('\n')}

Notes:
- Upload: the three legs upload the same random file from the same page origin (the API serves the
  bench pages under \`/__bench/\`, built from \`web/bench/pages/\`) to the same S3 server, in rotating
  order. Uppy is \`@uppy/core\` + \`@uppy/aws-s3\` 5.x: 6.x (the current major on npm) dropped the
  \`createMultipartUpload\`/\`signPart\`/\`completeMultipartUpload\` callbacks for presigned S3 requests
  (create and complete go to S3 directly) and uploads a file's parts one at a time, so it cannot
  drive a backend that owns the multipart session as ours does. Each part is recorded with our API
  as Uppy reports it uploaded. The raw page signs every part in one call, PUTs \`concurrency\` parts
  at once with bare \`XMLHttpRequest\`s (no progress listeners) and records without waiting.
- Player: both players read the worker's output from the same CDN; Shaka Player reads
  \`manifest.mpd\`, ours \`manifest.json\`. First frame is measured from navigation start in a fresh
  browser context (cold cache) to the first presented frame (\`requestVideoFrameCallback\`).
- Load: the per-address auth rate limits are raised for the run (all 50 users come from 127.0.0.1).
`);
  console.log(`wrote ${path.relative(repoRoot, doc)}`);
}
process.exit(failures.length ? 1 : 0);
