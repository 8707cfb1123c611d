// Shared helpers for tests/bench/*.mjs (this folder is not run by scripts/bench.mjs).
// Each benchmark starts its own ephemeral stack through the launcher CLI (scripts/stack.mjs
// --ephemeral --stdin-lifetime), reads the STACK_READY line and stops it by closing stdin.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const CLK_TCK = 100; // Linux USER_HZ

export function log(tag, ...parts) {
  process.stderr.write(`[${tag}] ${parts.join(' ')}\n`);
}

/** Things to undo on every way out (normal end, error, Ctrl-C). Runs in reverse order, once. */
const cleanups = [];
let cleaning = null;
export function onCleanup(fn) { cleanups.push(fn); }
export function runCleanups() {
  if (!cleaning) {
    cleaning = (async () => {
      const todo = cleanups.splice(0).reverse(); // a copy: run() removes its own entry when its child exits
      for (const fn of todo) {
        try { await fn(); } catch (e) { log('bench', `cleanup failed: ${e.message}`); }
      }
    })();
  }
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { log('bench', `${sig}: cleaning up`); runCleanups().finally(() => process.exit(130)); });
}

/** Runs main(); always cleans up; exit code 1 on error. */
export async function runMain(main) {
  let code = 0;
  try { await main(); } catch (e) {
    code = 1;
    log('bench', `FAILED: ${e.stack || e.message}`);
  }
  await runCleanups();
  process.exit(code);
}

/**
 * The launcher builds under `flock /tmp/dotnet.lock`. Waits up to waitS for that lock so a stuck holder
 * fails the benchmark with a readable message instead of hanging it; returns null when free, else a description.
 */
export async function dotnetLockBusy(waitS = 600) {
  const status = await new Promise((resolve) => {
    const child = spawn('flock', ['-w', String(waitS), '/tmp/dotnet.lock', 'true'], { stdio: 'ignore' });
    const kill = () => child.kill('SIGKILL');
    onCleanup(kill);
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code));
  });
  if (status === 0) return null;
  const holders = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!fs.readdirSync(`/proc/${d}/fd`).some((fd) => { try { return fs.readlinkSync(`/proc/${d}/fd/${fd}`) === '/tmp/dotnet.lock'; } catch { return false; } })) continue;
      holders.push(`${d}: ${fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 160)}`);
    } catch { /* gone */ }
  }
  return `/tmp/dotnet.lock not free after ${waitS} s; processes with it open:\n  ${holders.join('\n  ')}`;
}

export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Starts `node scripts/stack.mjs --ephemeral --stdin-lifetime --quiet <args>` with extraEnv on top of
 * ours (the launcher passes its environment on to the API and workers). Its stderr goes to logFile.
 * Returns { info, pid, stop(), logTail() }. Throws (with the log tail) if it does not come up.
 */
export async function startStack({ args = [], extraEnv = {}, logFile, readyTimeoutMs = 15 * 60_000 }) {
  if (args.includes('--api') && !args.includes('--no-build')) {
    const busy = await dotnetLockBusy(600);
    if (busy) throw new Error(`the launcher would wait forever to build: ${busy}\n(run with --no-build to use the binaries already built)`);
  }
  const cmdArgs = [path.join(repoRoot, 'scripts/stack.mjs'), '--ephemeral', '--stdin-lifetime', '--quiet', ...args];
  log('stack', `node scripts/stack.mjs ${cmdArgs.slice(1).join(' ')}${Object.keys(extraEnv).length ? ` (env ${Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`);
  const errFd = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, cmdArgs, {
    cwd: repoRoot, env: { ...process.env, ...extraEnv }, stdio: ['pipe', 'pipe', errFd],
  });
  fs.closeSync(errFd);
  let exited = null;
  const exitP = new Promise((resolve) => child.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); }));
  const logTail = (n = 40) => { try { return fs.readFileSync(logFile, 'utf8').split('\n').slice(-n).join('\n'); } catch { return ''; } };

  let stopping = null;
  const stop = () => {
    if (stopping) return stopping;
    stopping = (async () => {
      if (exited) return;
      const t0 = Date.now();
      child.stdin.end();
      // workers get Worker:ShutdownGrace (30 s) + margin; the launcher bounds that itself
      const r = await Promise.race([exitP, sleep(90_000).then(() => null)]);
      if (!r) {
        log('stack', 'did not stop within 90 s after stdin EOF: SIGTERM');
        child.kill('SIGTERM');
        if (!await Promise.race([exitP, sleep(30_000).then(() => null)])) { child.kill('SIGINT'); await sleep(200); child.kill('SIGINT'); await Promise.race([exitP, sleep(10_000)]); }
      }
      log('stack', `stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    })();
    return stopping;
  };
  onCleanup(stop);

  const info = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no STACK_READY within ${readyTimeoutMs / 1000} s\n${logTail()}`)), readyTimeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      const line = i >= 0 ? buf.slice(0, i) : null;
      if (line?.startsWith('STACK_READY ')) { clearTimeout(timer); resolve(JSON.parse(line.slice('STACK_READY '.length))); }
    });
    exitP.then((e) => { clearTimeout(timer); reject(new Error(`stack exited (${e.signal ?? e.code}) before STACK_READY\n--- launcher log (tail) ---\n${logTail()}`)); });
  });
  child.stdout.resume(); // keep draining
  if (!info.apiUrl && args.includes('--api')) throw new Error(`stack has no apiUrl\n${logTail()}`);
  return { info, pid: child.pid, stop, logTail, exited: () => exited };
}

/** The stack's processes (launcher, S3 server, API, workers, PostgreSQL) and their CPU seconds so far (with reaped children). */
export function stackProcesses(stack) {
  const api = childPids(stack.pid, 'StreamForge.Api.dll')[0] ?? null;
  const s3 = childPids(stack.pid, 's3-process.mjs'); // the clustered s3rver processes (none when it runs in the launcher)
  const workers = childPids(stack.pid, 'StreamForge.Worker.dll');
  const postmaster = pidsMatching(path.join(stack.info.dataDir, 'postgres'))
    .find((p) => { try { return fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'postgres'; } catch { return false; } }) ?? null;
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

/** JSON over HTTP with a bearer token. Throws on non-2xx (with the problem body). */
export function apiClient(baseUrl) {
  let token = null;
  const call = async (method, p, body, { expect } = {}) => {
    const res = await fetch(baseUrl + p, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok && !(expect && expect.includes(res.status))) throw new Error(`${method} ${p} → ${res.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    call,
    baseUrl,
    get token() { return token; },
    async login(email, password) {
      const r = await call('POST', '/api/v1/auth/login', { email, password });
      token = r.accessToken;
      return r;
    },
  };
}

/**
 * The signed-in user's video events from GET /api/v1/events, the stream the SPA listens to: lets a benchmark wait
 * for a status without polling the API (polling every 100 ms costs the API CPU the job being measured needs).
 * until(predicate, timeoutMs) resolves { event, at } with the first matching event's receive time.
 */
export async function videoEvents(baseUrl, token) {
  const abort = new AbortController();
  const res = await fetch(baseUrl + '/api/v1/events', {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (!res.ok) throw new Error(`GET /api/v1/events → ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const waiters = new Set();
  let opened;
  const open = new Promise((resolve) => { opened = resolve; });
  const pump = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, '\n');
      for (let end; (end = buffer.indexOf('\n\n')) >= 0;) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: ?(.*)$/m.exec(block)?.[1];
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
        if (type === 'ready') opened();
        if (type === 'video' && data) {
          const event = JSON.parse(data);
          for (const w of waiters) w(event, Date.now());
        }
      }
    }
  })().catch((e) => { if (!abort.signal.aborted) for (const w of waiters) w.fail(e); });
  await open;
  return {
    until(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const done = (fn, value) => { clearTimeout(timer); waiters.delete(waiter); fn(value); };
        const waiter = (event, at) => { if (predicate(event)) done(resolve, { event, at }); };
        waiter.fail = (e) => done(reject, new Error(`the event stream broke: ${e.message}`));
        const timer = setTimeout(() => done(reject, new Error(`no matching video event within ${timeoutMs / 1000} s`)), timeoutMs);
        waiters.add(waiter);
      });
    },
    async close() { abort.abort(); await pump; },
  };
}

/** Children (direct) of pid whose command line contains `needle`. */
export function childPids(ppid, needle) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== ppid) continue;
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!needle || cmd.includes(needle)) out.push(Number(d));
    } catch { /* gone */ }
  }
  return out;
}

/** All pids whose command line contains `needle`. */
export function pidsMatching(needle) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(needle)) out.push(Number(d)); } catch { /* gone */ }
  }
  return out;
}

/** utime+stime of a process, in seconds (0 if gone). */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch { return 0; }
}

/** utime+stime+cutime+cstime: a process and the children it has reaped (e.g. a worker and its ffmpegs). */
export function cpuWithChildren(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK;
  } catch { return 0; }
}

/**
 * Waits (bounded: BENCH_QUIET_WAIT seconds, default 120) until the machine is quiet: busy CPU over a 2 s window, minus what ownCpu() says our own
 * processes used, below maxCores. Returns { waitedS, otherCores } (the last window's figure).
 */
export async function waitQuiet({ maxCores = 0.3, maxWaitS = Number(process.env.BENCH_QUIET_WAIT ?? 120), ownCpu = () => 0, tag = 'bench' } = {}) {
  const t0 = Date.now();
  let other = 0;
  for (;;) {
    const m0 = machineCpu(), o0 = ownCpu();
    await sleep(2000);
    const m1 = machineCpu(), o1 = ownCpu();
    other = Math.max(0, (m1.busy - m0.busy) - (o1 - o0)) / 2;
    if (other <= maxCores) break;
    if ((Date.now() - t0) / 1000 >= maxWaitS) { log(tag, `machine still busy after ${maxWaitS} s (${other.toFixed(2)} cores used by other processes): measuring anyway`); break; }
  }
  return { waitedS: (Date.now() - t0) / 1000 - 2, otherCores: other };
}

/** cutime+cstime of this process: CPU of children we have waited for. */
export function childrenCpuSeconds() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / CLK_TCK;
}

/** Machine-wide busy and total CPU seconds (all cores) from /proc/stat. */
export function machineCpu() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0) / CLK_TCK;
  const idle = (f[3] + f[4]) / CLK_TCK;
  return { busy: total - idle, total };
}

/** Fields of /proc/<pid>/status in kB (e.g. VmRSS, VmHWM). */
export function procStatusKb(pid, ...keys) {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const out = {};
  for (const k of keys) { const m = text.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm')); out[k] = m ? Number(m[1]) : null; }
  return out;
}

export const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

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
    const kill = () => child.kill('SIGKILL');
    onCleanup(kill);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const idx = cleanups.indexOf(kill); if (idx >= 0) cleanups.splice(idx, 1);
      resolve({ code: code ?? (signal ? 128 : 1), wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuS: childrenCpuSeconds() - cpu0, stdout, stderr });
    });
  });
}

export function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function percentile(values, p) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}

export const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
export const pass = (ok) => (ok ? 'PASS' : 'FAIL');
