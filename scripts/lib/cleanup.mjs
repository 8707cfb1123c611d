// Process-lifetime plumbing for tooling scripts (benches, smoke checks): things to undo on every way
// out, a main() wrapper, child processes that are killed with us, throwaway folders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { log } from './util.mjs';
import { childrenCpuSeconds } from './machine.mjs';

/** Things to undo on every way out (normal end, error, Ctrl-C). Runs in reverse order, once. */
const cleanups = [];
let cleaning = null;
let signalsHooked = false;

export function onCleanup(fn) {
  cleanups.push(fn);
  if (!signalsHooked) {
    // Hooked on first use so that merely importing the library does not change how Ctrl-C ends a script.
    signalsHooked = true;
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.on(sig, () => { log('tooling', `${sig}: cleaning up`); runCleanups().finally(() => process.exit(130)); });
    }
  }
  return () => { const i = cleanups.indexOf(fn); if (i >= 0) cleanups.splice(i, 1); };
}

export function runCleanups() {
  if (!cleaning) {
    cleaning = (async () => {
      const todo = cleanups.splice(0).reverse();
      for (const fn of todo) {
        try { await fn(); } catch (e) { log('tooling', `cleanup failed: ${e.message}`); }
      }
    })();
  }
  return cleaning;
}

/** Runs main(); always cleans up; exit code 1 on error. */
export async function runMain(main, tag = 'bench') {
  let code = 0;
  try { await main(); } catch (e) {
    code = 1;
    log(tag, `FAILED: ${e.stack || e.message}`);
  }
  await runCleanups();
  process.exit(code);
}

/** A folder under the system temp dir, removed on cleanup. */
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs a command to the end; resolves {code, wallMs, cpuS, stdout, stderr}. Rejects on timeout (kills it). */
export function run(cmd, args, { timeoutMs = 30 * 60_000, env, cwd, capture = true } = {}) {
  return new Promise((resolve, reject) => {
    const cpu0 = childrenCpuSeconds();
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: env ?? process.env, cwd, stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d) => { stdout += d; if (stdout.length > 4e6) stdout = stdout.slice(-2e6); });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; if (stderr.length > 1e6) stderr = stderr.slice(-5e5); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${path.basename(cmd)} timed out after ${timeoutMs / 1000} s`)); }, timeoutMs);
    const forget = onCleanup(() => child.kill('SIGKILL'));
    child.on('error', (e) => { clearTimeout(timer); forget(); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      forget();
      resolve({ code: code ?? (signal ? 128 : 1), wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuS: childrenCpuSeconds() - cpu0, stdout, stderr });
    });
  });
}
