#!/usr/bin/env node
// `npm run bench`: runs every tests/bench/*.sh (bash) and tests/bench/*.mjs (node), in name order.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './lib/util.mjs';

const dir = path.join(repoRoot, 'tests', 'bench');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.(sh|mjs)$/.test(f)).sort() : [];
if (!files.length) {
  console.log(`no benchmarks yet: add executable *.sh or *.mjs files to ${path.relative(repoRoot, dir)}/`);
  process.exit(0);
}
const failures = [];
for (const f of files) {
  const file = path.join(dir, f);
  const [cmd, args] = f.endsWith('.mjs') ? [process.execPath, [file]] : ['bash', [file]];
  console.log(`\n=== ${f}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, [...args, ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit' });
  const code = r.status ?? 1;
  console.log(`=== ${f}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (code !== 0) failures.push(f);
}
console.log(`\n${files.length - failures.length} benchmark(s) ok, ${failures.length} failed${failures.length ? `: ${failures.join(', ')}` : ''}`);
process.exit(failures.length ? 1 : 0);
