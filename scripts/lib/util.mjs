// Small shared helpers: repo paths, logging to stderr, command lookup, waiting.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Everything except the STACK_READY line goes to stderr. */
export function log(tag, ...parts) {
  try { process.stderr.write(`[${tag}] ${parts.join(' ')}\n`); } catch { /* stderr gone */ }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Finds an executable on PATH (plus /usr/sbin and /sbin, which non-root PATHs often lack). */
export function which(cmd) {
  if (cmd.includes('/')) return isExecutable(cmd) ? cmd : null;
  const dirs = (process.env.PATH || '').split(':').filter(Boolean);
  for (const extra of ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin']) if (!dirs.includes(extra)) dirs.push(extra);
  for (const dir of dirs) {
    const full = path.join(dir, cmd);
    if (isExecutable(full)) return full;
  }
  return null;
}

export function isExecutable(file) {
  try { fs.accessSync(file, fs.constants.X_OK); return fs.statSync(file).isFile(); } catch { return false; }
}

let setprivPath;
/**
 * [cmd, args] that makes the kernel send `signal` to the process when its parent (this node
 * process) dies, even by SIGKILL: util-linux `setpriv --pdeathsig` execs the command in place
 * (same pid). Without setpriv the command is returned unchanged.
 */
export function withParentDeathSignal(signal, cmd, args) {
  if (setprivPath === undefined) setprivPath = which('setpriv');
  return setprivPath ? [setprivPath, ['--pdeathsig', signal, '--', cmd, ...args]] : [cmd, args];
}

/** Runs a command synchronously, returning {status, stdout, stderr}; never throws on non-zero exit. */
export function runSync(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  return { status: r.status ?? (r.error ? -1 : 1), stdout: r.stdout || '', stderr: (r.stderr || '') + (r.error ? String(r.error) : '') };
}

/** Polls fn() (async, returns truthy when done) until it succeeds or the deadline passes. */
export async function waitFor(fn, { timeoutMs, intervalMs = 100, what = 'condition', abort } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  for (;;) {
    if (abort) { const reason = abort(); if (reason) throw new Error(`${what}: ${reason}`); }
    try { const v = await fn(); if (v) return v; } catch (e) { lastErr = e; }
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastErr ? ` (${lastErr.message})` : ''}`);
    await sleep(intervalMs);
  }
}

/** GET with a timeout; resolves to the Response or throws. */
export async function httpGet(url, timeoutMs = 2000, init = {}) {
  return fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

/** Keeps the last N lines of a stream of lines (for "show the log tail on failure"). */
export class Tail {
  constructor(max = 60) { this.max = max; this.lines = []; }
  push(line) { this.lines.push(line); if (this.lines.length > this.max) this.lines.shift(); }
  toString() { return this.lines.join('\n'); }
}

/** Last lines of a file (for log files written by postgres/nginx). */
export function fileTail(file, n = 30) {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-n - 1).join('\n'); } catch { return `(no log at ${file})`; }
}

/** Loads KEY=VALUE lines from a .env file into process.env without overriding existing variables. */
export function loadDotEnv(file = path.join(repoRoot, '.env')) {
  if (!fs.existsSync(file)) return false;
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    if (/^".*"$/.test(value) || /^'.*'$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    if (process.env[m[1]] === undefined) process.env[m[1]] = value;
  }
  return true;
}
