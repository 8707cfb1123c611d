// Builds the solution once and runs the API and worker(s) from their Release output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, log, which, waitFor, httpGet, withParentDeathSignal } from './util.mjs';
import { runToEnd, stopChild } from './procs.mjs';
import { openFiles } from './proc.mjs';

export const API_DLL = path.join(repoRoot, 'server/StreamForge.Api/bin/Release/net10.0/StreamForge.Api.dll');
export const WORKER_DLL = path.join(repoRoot, 'worker/StreamForge.Worker/bin/Release/net10.0/StreamForge.Worker.dll');
export const DOTNET_LOCK = path.join(os.tmpdir(), 'dotnet.lock');

/**
 * A process started under `flock /tmp/dotnet.lock …` without -o inherits the locked fd, and so does
 * everything it spawns: a stack launched from such a `dotnet test` would hold the build lock for its
 * whole life (and deadlock its own `--api` build). Close any inherited descriptor of the lock file.
 */
export function releaseInheritedBuildLock() {
  for (const { fd, target } of openFiles('self')) {
    if (fd > 2 && target === DOTNET_LOCK) {
      try { fs.closeSync(fd); log('stack', `closed an inherited descriptor of ${DOTNET_LOCK}`); } catch { /* closed meanwhile */ }
    }
  }
}

const quietDotnetEnv = { DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' };

const API_PROJECT = path.join(repoRoot, 'server/StreamForge.Api/StreamForge.Api.csproj');
const WORKER_PROJECT = path.join(repoRoot, 'worker/StreamForge.Worker/StreamForge.Worker.csproj');

async function dotnetBuild(scope, label, target) {
  const args = ['build', target, '-c', 'Release', '--nologo', '--disable-build-servers', '-clp:NoSummary'];
  const flock = which('flock');
  // -o: the lock fd is not inherited by dotnet and whatever it spawns (only flock holds it)
  const [cmd, cmdArgs] = flock ? [flock, ['-o', DOTNET_LOCK, 'dotnet', ...args]] : ['dotnet', args];
  log('build', `dotnet ${args.join(' ')}`);
  await runToEnd(scope, label, cmd, cmdArgs, { cwd: repoRoot, env: { ...process.env, ...quietDotnetEnv } });
}

/**
 * Builds what the stack runs, in Release, serialised with other builds on this machine through
 * flock: the API (required) and, when workers are wanted, the worker. The projects rather than
 * StreamForge.sln, so a broken test project does not stop the app from starting.
 * A failed worker build is not fatal: returns { workerBuilt: false } and no worker is started
 * (never a stale binary).
 */
export async function buildApps({ scope, worker = true }) {
  if (!which('dotnet')) throw new Error('dotnet is not installed (the .NET 10 SDK is needed: https://learn.microsoft.com/dotnet/core/install/linux-debian)');
  const t0 = Date.now();
  try {
    await dotnetBuild(scope, 'build', API_PROJECT);
  } catch (e) {
    throw new Error(`dotnet build of the API failed${e.tail ? `:\n${e.tail}` : ''}`);
  }
  let workerBuilt = false;
  if (worker && fs.existsSync(WORKER_PROJECT)) {
    try {
      await dotnetBuild(scope, 'build', WORKER_PROJECT);
      workerBuilt = true;
    } catch {
      log('build', 'the worker does not build (errors above): starting without workers');
    }
  }
  log('build', `done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { workerBuilt };
}

/**
 * Environment of a .NET child: ours, then the stack's map. CDN_URL is dropped when the stack has
 * no CDN, so a stale value from the shell or .env cannot point the apps at nothing.
 */
function childEnv(env, extra) {
  const base = { ...process.env };
  if (!env.CDN_URL) delete base.CDN_URL;
  return { ...base, ...quietDotnetEnv, ...env, ...extra };
}

function output(name, logDir, quiet) {
  if (!quiet) return 'prefix';
  fs.mkdirSync(logDir, { recursive: true });
  return path.join(logDir, `${name}.log`);
}

function describeExit(child) {
  const { code, signal } = child.exitInfo;
  return signal ? `signal ${signal}` : `code ${code}`;
}

/** Starts the API on 127.0.0.1:<port> and waits for GET /health/ready = 200 (90 s). */
export async function startApi({ scope, env, port, logDir, quiet = false }) {
  if (!fs.existsSync(API_DLL)) throw new Error(`${API_DLL} is missing: build first (drop --no-build)`);
  const apiUrl = `http://127.0.0.1:${port}`;
  const child = scope.spawn('api', ...withParentDeathSignal('SIGTERM', 'dotnet', [API_DLL]), {
    cwd: path.dirname(API_DLL),
    env: childEnv(env, { ASPNETCORE_URLS: apiUrl }),
    output: output('api', logDir, quiet),
    tailLines: 80,
    stop: (c) => stopChild(c, 'SIGTERM', 15000, { pidOnly: true }),
  });
  child.exited.then(() => { if (!scope.closing) log('stack', `api exited unexpectedly (${describeExit(child)})`); });
  const t0 = Date.now();
  try {
    await waitFor(async () => (await httpGet(`${apiUrl}/health/ready`, 2000)).status === 200, {
      timeoutMs: 90000, intervalMs: 250, what: 'GET /health/ready',
      abort: () => child.exitInfo && `the api exited (${describeExit(child)})`,
    });
  } catch (e) {
    const tail = child.logFile ? fs.readFileSync(child.logFile, 'utf8').split('\n').slice(-60).join('\n') : child.tail.toString();
    throw new Error(`api did not become ready: ${e.message}\n--- api output (tail) ---\n${tail}`);
  }
  log('api', `ready on ${apiUrl} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return { apiUrl, child };
}

/** Starts N worker processes (skipped with a note when the worker is not built). */
export function startWorkers({ scope, env, count, logDir, quiet = false }) {
  if (count <= 0) return [];
  if (!fs.existsSync(WORKER_DLL)) {
    log('stack', `worker not started: ${path.relative(repoRoot, WORKER_DLL)} does not exist (yet)`);
    return [];
  }
  const children = [];
  for (let i = 1; i <= count; i++) {
    const name = `worker-${i}`;
    const child = scope.spawn(name, ...withParentDeathSignal('SIGTERM', 'dotnet', [WORKER_DLL]), {
      cwd: path.dirname(WORKER_DLL),
      env: childEnv(env),
      output: output(name, logDir, quiet),
      stop: null, // stopped together below
    });
    child.exited.then(() => { if (!scope.closing) log('stack', `${name} exited (${describeExit(child)})`); });
    children.push(child);
  }
  // Workers stop together; each gets Worker:ShutdownGrace (30 s default) plus a margin before SIGKILL.
  scope.defer('workers', () => Promise.all(children.map((c) => stopChild(c, 'SIGTERM', 45000, { pidOnly: true }))));
  log('stack', `started ${count} worker(s)`);
  return children;
}
