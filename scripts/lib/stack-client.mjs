// The launcher contract, from the caller's side: `node scripts/stack.mjs --ephemeral --stdin-lifetime …`
// prints one `STACK_READY {json}` line on stdout when everything is up, logs to stderr, and stops
// (removing what it made) when its stdin closes. Benches, smoke checks and the browser test start
// stacks through this module; the .NET StackFixture speaks the same contract from C#.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { log, repoRoot } from './util.mjs';
import { onCleanup } from './cleanup.mjs';
import { childPids, cpuSeconds, cpuWithChildren, pidsMatching } from './machine.mjs';
import { cmdline, comm, openFiles, pids } from './proc.mjs';

export const READY_MARKER = 'STACK_READY ';

/** Resolves null after ms without keeping the process alive (a bounded wait must not delay the script's exit). */
const deadline = (ms) => new Promise((resolve) => setTimeout(resolve, ms, null).unref());

/** Parses a launcher stdout line; the STACK_READY payload or null. */
export function parseReadyLine(line) {
  return line.startsWith(READY_MARKER) ? JSON.parse(line.slice(READY_MARKER.length)) : null;
}

/**
 * The launcher builds under `flock /tmp/dotnet.lock`. Waits up to waitS for that lock so a stuck holder
 * fails with a readable message instead of hanging; returns null when free, else a description.
 */
export async function dotnetLockBusy(waitS = 600) {
  const status = await new Promise((resolve) => {
    const child = spawn('flock', ['-w', String(waitS), '/tmp/dotnet.lock', 'true'], { stdio: 'ignore' });
    const forget = onCleanup(() => child.kill('SIGKILL'));
    child.on('error', () => { forget(); resolve(-1); });
    child.on('close', (code) => { forget(); resolve(code); });
  });
  if (status === 0) return null;
  const holders = [];
  for (const pid of pids()) {
    if (openFiles(pid).some((f) => f.target === '/tmp/dotnet.lock')) holders.push(`${pid}: ${cmdline(pid).slice(0, 160)}`);
  }
  return `/tmp/dotnet.lock not free after ${waitS} s; processes with it open:\n  ${holders.join('\n  ')}`;
}

/**
 * Starts a launcher and returns at once: { child, pid, ready (Promise of the STACK_READY payload),
 * stop(), logTail(), exited() }.
 *  - command: [cmd, args] to run instead of scripts/stack.mjs (e.g. the browser test's mock stack,
 *    which speaks the same contract); args are then ignored.
 *  - args: launcher arguments after `--stdin-lifetime` (`--ephemeral` is added unless `--data` is given).
 *  - env: variables on top of ours (the launcher passes them on to the API and workers).
 *  - logFile: the launcher's stderr goes there (else it is kept in memory for error messages).
 *  - stopTimeoutMs: how long stop() waits after closing stdin before it signals.
 */
export function launchStack({ command, args = [], env = {}, logFile, onStderr, readyTimeoutMs = 15 * 60_000, stopTimeoutMs = 90_000, cleanup = true } = {}) {
  const [cmd, cmdArgs] = command ?? [process.execPath, [
    path.join(repoRoot, 'scripts/stack.mjs'), ...(args.includes('--data') ? [] : ['--ephemeral']), '--stdin-lifetime', ...args]];
  log('stack', `${cmd === process.execPath ? 'node' : cmd} ${cmdArgs.map((a) => path.relative(repoRoot, a).startsWith('scripts') ? path.relative(repoRoot, a) : a).join(' ')}${Object.keys(env).length ? ` (env ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`);
  if (logFile) fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const child = spawn(cmd, cmdArgs, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let memLog = '';
  const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
  child.stderr.on('data', (d) => {
    if (logStream) logStream.write(d); else { memLog += d; if (memLog.length > 2e6) memLog = memLog.slice(-1e6); }
    onStderr?.(d);
  });
  const logTail = (n = 40) => {
    let text = memLog;
    if (logFile) try { text = fs.readFileSync(logFile, 'utf8'); } catch { text = ''; }
    return text.split('\n').slice(-n).join('\n');
  };

  let exited = null;
  // Settled at 'close', not 'exit': 'exit' can come before the last stderr chunk was read, and a caller that reads
  // the log right after stop() must see everything the launcher wrote. An orphan that inherited the pipe could hold
  // 'close' back forever, so it is awaited for a bounded time after the exit.
  const exitP = new Promise((resolve) => {
    const settle = (code, signal) => { exited ??= { code, signal }; resolve(exited); };
    child.on('close', settle);
    child.on('exit', (code, signal) => setTimeout(() => settle(code, signal), 5_000).unref());
  });

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no STACK_READY within ${readyTimeoutMs / 1000} s\n${logTail()}`)), readyTimeoutMs).unref();
    // Keeps draining stdout after the marker so the launcher never blocks on a full pipe.
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const info = parseReadyLine(line);
      if (info) { clearTimeout(timer); resolve(info); }
    });
    exitP.then((e) => { clearTimeout(timer); reject(new Error(`stack exited (${e.signal ?? e.code}) before STACK_READY\n--- launcher log (tail) ---\n${logTail()}`)); });
  });
  ready.catch(() => undefined); // reported by whoever awaits it

  let stopping = null;
  const stop = ({ signal } = {}) => {
    if (stopping) return stopping;
    stopping = (async () => {
      if (exited) return exited;
      const t0 = Date.now();
      if (signal) child.kill(signal); else child.stdin.end();
      // workers get Worker:ShutdownGrace (30 s) + margin; the launcher bounds that itself
      if (!await Promise.race([exitP, deadline(stopTimeoutMs)])) {
        log('stack', `did not stop within ${stopTimeoutMs / 1000} s: SIGTERM`);
        child.kill('SIGTERM');
        if (!await Promise.race([exitP, deadline(30_000)])) { child.kill('SIGKILL'); await exitP; }
      }
      if (logStream) await new Promise((resolve) => logStream.end(resolve));
      log('stack', `stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return exited;
    })();
    return stopping;
  };
  if (cleanup) onCleanup(() => stop());
  return { child, pid: child.pid, ready, stop, logTail, exited: () => exited, whenExited: exitP };
}

/**
 * launchStack, then waits for STACK_READY: resolves the handle with `info` set. When the API is
 * to be built, first makes sure the build lock is not stuck.
 */
export async function startStack({ args = [], extraEnv, env, ...rest } = {}) {
  if (args.includes('--api') && !args.includes('--no-build')) {
    const busy = await dotnetLockBusy(600);
    if (busy) throw new Error(`the launcher would wait forever to build: ${busy}\n(run with --no-build to use the binaries already built)`);
  }
  const stack = launchStack({ args, env: { ...(extraEnv ?? {}), ...(env ?? {}) }, ...rest });
  stack.info = await stack.ready;
  if (!stack.info.apiUrl && args.includes('--api')) throw new Error(`stack has no apiUrl\n${stack.logTail()}`);
  return stack;
}

/** The stack's processes (launcher, S3 server, API, workers, PostgreSQL) and their CPU seconds so far (with reaped children). */
export function stackProcesses(stack) {
  const api = childPids(stack.pid, 'StreamForge.Api.dll')[0] ?? null;
  const s3 = childPids(stack.pid, 's3-process.mjs'); // the clustered s3rver processes (none when it runs in the launcher)
  const workers = childPids(stack.pid, 'StreamForge.Worker.dll');
  const postmaster = pidsMatching(path.join(stack.info.dataDir, 'postgres'))
    .find((p) => comm(p) === 'postgres') ?? null;
  const pg = () => (postmaster ? [postmaster, ...childPids(postmaster)] : []);
  return {
    api, workers, postmaster,
    pgCpu: () => pg().reduce((a, p) => a + cpuSeconds(p), 0),
    cpu: () => [stack.pid, ...s3, api, ...workers, ...pg()].filter(Boolean).reduce((a, p) => a + cpuWithChildren(p), 0),
    /** CPU seconds so far per component; the workers' reaped children (ffmpeg, ffprobe) apart. */
    breakdown: () => ({
      launcher: cpuWithChildren(stack.pid),
      s3: s3.reduce((a, p) => a + cpuSeconds(p), 0),
      api: api ? cpuWithChildren(api) : 0,
      worker: workers.reduce((a, p) => a + cpuSeconds(p), 0),
      ffmpeg: workers.reduce((a, p) => a + cpuWithChildren(p) - cpuSeconds(p), 0),
      postgres: pg().reduce((a, p) => a + cpuWithChildren(p), 0),
    }),
  };
}
