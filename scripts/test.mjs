#!/usr/bin/env node
// `npm test`: .NET tests (their fixtures start their own stacks through scripts/stack.mjs), then the
// web unit tests, then the web end-to-end tests. Streams output; ends with "N passed, N failed".
// `--soak` (npm run test:soak) runs the same suites with SOAK=1.
// First it provides what the suites need, as `npm start` does: as root it installs missing Debian packages
// (PostgreSQL, ffmpeg, nginx for the CDN tests, Chromium for the browser tests), otherwise it prints the one
// apt-get line and exits non-zero before running anything.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { repoRoot, which } from './lib/util.mjs';
import { DOTNET_LOCK } from './lib/dotnet.mjs';
import { webScripts } from './lib/web.mjs';
import { ensurePrerequisites } from './lib/prereqs.mjs';
import { classSecondsFromTrx, specSecondsFromPlaywright, slowest } from './lib/test-durations.mjs';

ensurePrerequisites({ withNginx: true, nginxRequired: true, withChromium: true });

const soak = process.argv.includes('--soak');
// The fault-injection tests (.NET and browser) append one "FAULTS <fault> runs=… recovered=… lost=… duplicated=…"
// line per repetition here; the totals per fault are printed at the end.
const faultsLog = path.join(repoRoot, 'tests', 'artifacts', 'faults.log');
fs.rmSync(faultsLog, { force: true });
const env = {
  ...process.env,
  FAULTS_LOG: faultsLog,
  DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1',
  ...(soak ? { SOAK: '1' } : {}),
};
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '');

let current = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (current) { try { process.kill(-current.pid, sig); } catch { /* gone */ } }
    setTimeout(() => process.exit(130), 15000).unref();
  });
}

/** Runs a command, streaming its output, and resolves {code, output, seconds}. */
function run(cmd, args) {
  const started = Date.now();
  return new Promise((resolve) => {
    console.log(`\n$ ${[cmd, ...args].join(' ')}`);
    const child = spawn(cmd, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    let output = '';
    child.stdout.on('data', (d) => { output += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
    child.on('error', (e) => { output += String(e); });
    child.on('close', (code, signal) => {
      current = null;
      resolve({ code: code ?? (signal ? 1 : 0), output: stripAnsi(output), seconds: (Date.now() - started) / 1000 });
    });
  });
}

const sum = (re, text, group = 1) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[group]), 0);

/** dotnet test (VSTest "Passed!/Failed! - Failed: x, Passed: y" lines, or Microsoft.Testing.Platform's summary). */
function parseDotnet(text) {
  const vstest = [...text.matchAll(/(?:Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+)/g)];
  const total = (i) => vstest.reduce((n, m) => n + Number(m[i]), 0);
  if (vstest.length) return { passed: total(2), failed: total(1), skipped: total(3) };
  if (/Test run summary/i.test(text)) return { passed: sum(/^\s*succeeded:\s*(\d+)/gim, text), failed: sum(/^\s*failed:\s*(\d+)/gim, text) };
  return null;
}

/** vitest ("Tests  2 failed | 10 passed (12)"), node:test ("# pass 3" / "ℹ pass 3"), playwright ("3 passed"), or "N passed, N failed". */
function parseJs(text) {
  const vitest = [...text.matchAll(/^\s*Tests\s{2,}(.*)$/gm)];
  if (vitest.length) {
    let passed = 0; let failed = 0;
    for (const [, line] of vitest) {
      passed += Number(/(\d+) passed/.exec(line)?.[1] ?? 0);
      failed += Number(/(\d+) failed/.exec(line)?.[1] ?? 0);
    }
    return { passed, failed };
  }
  const nodePass = [...text.matchAll(/^(?:#|ℹ)\s*pass\s+(\d+)/gm)];
  if (nodePass.length) return { passed: sum(/^(?:#|ℹ)\s*pass\s+(\d+)/gm, text), failed: sum(/^(?:#|ℹ)\s*fail\s+(\d+)/gm, text) };
  const combined = [...text.matchAll(/^\s*(\d+) passed,\s*(\d+) failed\s*$/gm)];
  if (combined.length) { const m = combined.at(-1); return { passed: Number(m[1]), failed: Number(m[2]) }; }
  const pw = /^\s*(\d+) passed\b/m.exec(text);
  if (pw) return { passed: Number(pw[1]), failed: Number(/^\s*(\d+) failed\b/m.exec(text)?.[1] ?? 0) };
  return null;
}

/** Names of failed tests with the first line of their message, so a CI log's tail says what broke. */
function failedTests(text) {
  const out = [];
  // VSTest: "  Failed Namespace.Class.Method [12 s]" then "  Error Message:" and the message
  for (const m of text.matchAll(/^\s*Failed (.+?) \[[^\]]*\]\s*\n(?:\s*Error Message:\s*\n)?\s*(.*)$/gm)) out.push(`${m[1]}: ${m[2].trim().slice(0, 200)}`);
  // playwright: "  1) [chromium] › e2e/x.spec.ts:12:3 › title", or without a project "  1) e2e/x.spec.ts:12:3 › title";
  // vitest: " FAIL  src/x.test.ts > name"
  for (const m of text.matchAll(/^\s*\d+\) ((?:\[.*› |\S+\.spec\.ts:\d+:\d+ › ).*)$/gm)) out.push(m[1].trim());
  for (const m of text.matchAll(/^\s*(?:FAIL|×|✗)\s+(\S+\.(?:ts|tsx|mjs) .*)$/gm)) out.push(m[1].trim());
  // a runner that failed before naming a test (a broken import, a build error): its first error line
  if (!out.length) { const first = /^.*\b(?:Error|error)\b.*$/m.exec(text); if (first) out.push(first[0].trim().slice(0, 200)); }
  return [...new Set(out)];
}

const steps = [];
const record = (name, { code, output = '', seconds = 0 }, counts) => {
  // a runner that failed without a parsable count (build error, crash) still counts as one failure
  const c = counts ?? { passed: 0, failed: 0 };
  if (code !== 0 && c.failed === 0) c.failed = 1;
  steps.push({ name, code, seconds, ...c, failures: code !== 0 ? failedTests(output) : [] });
};
// The slowest test classes and specs, printed at the end so a CI log shows where the time goes.
const durations = [];

const t0 = Date.now();
{
  const sln = path.join(repoRoot, 'StreamForge.sln');
  const flock = which('flock');
  const buildArgs = ['build', sln, '-c', 'Release', '--nologo', '--disable-build-servers'];
  // flock -o: the lock is not inherited by dotnet's children
  const build = await run(flock ? flock : 'dotnet', flock ? ['-o', DOTNET_LOCK, 'dotnet', ...buildArgs] : buildArgs);
  if (build.code !== 0) record('dotnet build', build, null);
  else {
    // a hung test is aborted (and named) instead of stalling CI forever
    const hang = process.env.TEST_HANG_TIMEOUT || (soak ? '60m' : '10m');
    const trxDir = path.join(repoRoot, 'tests', 'artifacts', 'trx');
    fs.rmSync(trxDir, { recursive: true, force: true });
    const test = await run('dotnet', ['test', sln, '-c', 'Release', '--no-build', '--blame-hang-timeout', hang, '--blame-hang-dump-type', 'none',
      '--logger', 'trx', '--results-directory', trxDir]);
    record('dotnet test', test, parseDotnet(test.output));
    const trx = fs.existsSync(trxDir) ? fs.readdirSync(trxDir).filter((f) => f.endsWith('.trx')).map((f) => fs.readFileSync(path.join(trxDir, f), 'utf8')) : [];
    durations.push(['.NET test classes', classSecondsFromTrx(trx)]);
  }
}

{
  // Kubernetes manifests (rendered and schema-checked offline, no cluster), the production web build, and the unit
  // tests of the bench and stack tooling. scripts/lib/tooling.test.mjs is left out: the .NET suite runs it
  // (ToolingLibraryTests), as it starts the stack whose launcher it tests.
  const toolingTests = (dir) => fs.readdirSync(path.join(repoRoot, dir))
    .filter((f) => f.endsWith('.test.mjs') && f !== 'tooling.test.mjs')
    .map((f) => path.join(repoRoot, dir, f));
  const r = await run(process.execPath, ['--test', path.join(repoRoot, 'tests', 'k8s'), path.join(repoRoot, 'tests', 'web'),
    ...toolingTests('scripts/lib'), ...toolingTests('tests/bench/lib')]);
  record('node tests', r, parseJs(r.output));
}

const scripts = webScripts();
if (scripts.test) {
  const r = await run('npm', ['test', '-w', 'web']);
  record('web unit', r, parseJs(r.output));
} else console.log('\n(web has no "test" script: skipping web unit tests)');
if (scripts['test:e2e']) {
  const r = await run('npm', ['run', 'test:e2e', '-w', 'web']);
  record('web e2e', r, parseJs(r.output));
  durations.push(['browser specs', specSecondsFromPlaywright(r.output)]);
} else console.log('\n(web has no "test:e2e" script: skipping end-to-end tests)');

/** Sums the FAULTS lines per fault: `FAULTS kill-worker runs=5 recovered=5 lost=0 duplicated=0 failed=0`. */
function faultTotals() {
  let text = '';
  try { text = fs.readFileSync(faultsLog, 'utf8'); } catch { return []; }
  const totals = new Map();
  for (const [, name, fields] of text.matchAll(/^FAULTS (\S+) (.*)$/gm)) {
    const t = totals.get(name) ?? {};
    for (const [, k, v] of fields.matchAll(/(\w+)=(\d+)/g)) t[k] = (t[k] ?? 0) + Number(v);
    totals.set(name, t);
  }
  return [...totals].map(([name, t]) => `FAULTS ${name} ${Object.entries(t).map(([k, v]) => `${k}=${v}`).join(' ')}`);
}

console.log(`\n${'-'.repeat(60)}`);
for (const [what, totals] of durations) {
  if (!totals.size) continue;
  console.log(`slowest ${what}:`);
  for (const line of slowest(totals)) console.log(line);
}
for (const line of faultTotals()) console.log(line);
for (const s of steps) for (const f of s.failures.slice(0, 10)) console.log(`FAILED ${s.name}: ${f}`);
for (const s of steps) console.log(`${s.code === 0 ? 'ok  ' : 'FAIL'} ${s.name}: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}${s.code !== 0 ? ` (exit ${s.code})` : ''} [${s.seconds.toFixed(0)} s]`);
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s${soak ? ', SOAK=1' : ''})`);
const passed = steps.reduce((n, s) => n + s.passed, 0);
const failed = steps.reduce((n, s) => n + s.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(steps.some((s) => s.code !== 0) ? 1 : 0);
