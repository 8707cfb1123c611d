// Process hygiene: every child runs in its own process group and is tracked by a Scope;
// closing the scope runs the registered cleanups (LIFO) and kills whatever is left.
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { log, Tail } from './util.mjs';

const liveScopes = new Set();

export class Scope {
  constructor() {
    this.children = new Set();
    this.cleanups = [];
    this.syncCleanups = [];
    this.closing = null;
    liveScopes.add(this);
  }

  /**
   * Spawns a tracked child in its own process group.
   * output: 'prefix' (lines to stderr as "[name] ..."), a file path (appended), or 'ignore'.
   * Returns the ChildProcess with .tail (last lines), .exited (promise of {code, signal}).
   */
  spawn(name, cmd, args, { env, cwd, output = 'prefix', tailLines = 60, stop, syncStop } = {}) {
    if (this.closing) throw new Error(`not starting ${name}: shutting down`);
    let stdio = ['ignore', 'pipe', 'pipe'];
    let fd = null;
    if (output === 'ignore') stdio = ['ignore', 'ignore', 'ignore'];
    else if (output !== 'prefix') {
      fd = fs.openSync(output, 'a');
      stdio = ['ignore', fd, fd];
    }
    const child = spawn(cmd, args, { env: env ?? process.env, cwd, stdio, detached: true });
    if (fd !== null) fs.closeSync(fd);
    child.label = name;
    child.tail = new Tail(tailLines);
    child.logFile = output !== 'prefix' && output !== 'ignore' ? output : null;
    child.exitInfo = null;
    child.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => { child.exitInfo = { code, signal }; this.children.delete(child); resolve(child.exitInfo); });
      child.on('error', (err) => { child.tail.push(String(err)); child.exitInfo = { code: -1, signal: null, error: err }; this.children.delete(child); resolve(child.exitInfo); });
    });
    if (output === 'prefix') {
      for (const stream of [child.stdout, child.stderr]) {
        let buf = '';
        stream.setEncoding('utf8');
        const emit = (line) => { child.tail.push(line); try { process.stderr.write(`[${name}] ${line}\n`); } catch { /* ignore */ } };
        stream.on('data', (d) => { buf += d; let i; while ((i = buf.indexOf('\n')) >= 0) { emit(buf.slice(0, i).replace(/\r$/, '')); buf = buf.slice(i + 1); } });
        stream.on('end', () => { if (buf) emit(buf); buf = ''; });
        stream.on('error', () => {});
      }
    }
    this.children.add(child);
    // Registered at spawn time, so a shutdown that starts while we are still waiting for this child
    // to become ready stops it before anything registered earlier (e.g. the data folder removal).
    // stop: null = the caller registers its own cleanup.
    if (stop !== null) this.defer(name, () => (stop ? stop(child) : stopChild(child, 'SIGTERM', 10000)), syncStop);
    return child;
  }

  /** Registers an async cleanup; cleanups run in reverse registration order on close(). */
  defer(name, fn, syncFallback) {
    if (this.closing) { Promise.resolve().then(fn).catch(() => {}); if (syncFallback) process.once('exit', syncFallback); return; }
    this.cleanups.push({ name, fn });
    if (syncFallback) this.syncCleanups.push(syncFallback);
  }

  /** Stops everything: cleanups (each bounded by a timeout), then SIGKILL for stragglers. */
  close() {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      for (const { name, fn } of this.cleanups.reverse()) {
        try {
          await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timed out')), 60000).unref())]);
        } catch (e) { log('stack', `cleanup "${name}" failed: ${e.message}`); }
      }
      for (const child of [...this.children]) {
        killGroup(child, 'SIGKILL');
        await Promise.race([child.exited, new Promise((r) => setTimeout(r, 2000).unref())]);
      }
      this.cleanups = [];
      this.syncCleanups = [];
      liveScopes.delete(this);
    })();
    return this.closing;
  }

  /** Last-resort synchronous cleanup used from process.on('exit'). */
  closeSync() {
    for (const fn of this.syncCleanups.reverse()) { try { fn(); } catch { /* ignore */ } }
    for (const child of this.children) killGroup(child, 'SIGKILL');
    this.syncCleanups = [];
  }
}

/** Signals a child's whole process group (falls back to the pid). */
export function killGroup(child, signal = 'SIGTERM') {
  if (!child || child.exitInfo || !child.pid) return false;
  try { process.kill(-child.pid, signal); return true; } catch {
    try { process.kill(child.pid, signal); return true; } catch { return false; }
  }
}

/**
 * Sends `signal` (to the group, or only to the process with pidOnly: a worker must be able to
 * finish its ffmpeg child gracefully), waits up to graceMs, then SIGKILLs the whole group.
 */
export async function stopChild(child, signal = 'SIGTERM', graceMs = 10000, { pidOnly = false } = {}) {
  if (!child || child.exitInfo) return;
  if (pidOnly) { try { process.kill(child.pid, signal); } catch { /* gone */ } } else killGroup(child, signal);
  const done = await Promise.race([child.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), graceMs).unref())]);
  if (!done) {
    log('stack', `${child.label} did not stop after ${signal} within ${graceMs} ms: SIGKILL`);
    killGroup(child, 'SIGKILL');
    await Promise.race([child.exited, new Promise((r) => setTimeout(r, 3000).unref())]);
  } else if (pidOnly) {
    // leftovers in its group (e.g. a orphaned ffmpeg) go too
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* none */ }
  }
}

/** Runs a child to completion (tracked by the scope); rejects with the output tail on failure. */
export async function runToEnd(scope, name, cmd, args, opts = {}) {
  const child = scope.spawn(name, cmd, args, opts);
  const { code, signal, error } = await child.exited;
  if (code !== 0) {
    const err = new Error(`${name} failed (${error ? error.message : signal ? `signal ${signal}` : `exit ${code}`})`);
    err.tail = child.tail.toString();
    throw err;
  }
  return child;
}

let handlersInstalled = false;
/**
 * Wires process-level lifetime: SIGINT/SIGTERM/SIGHUP, uncaught errors and (optionally) stdin EOF
 * call onShutdown(code, reason) once; a second signal forces an immediate kill.
 */
export function installLifetime({ onShutdown, stdinLifetime = false }) {
  if (handlersInstalled) return;
  handlersInstalled = true;
  let requested = false;
  const trigger = (code, reason) => {
    if (requested) {
      if (reason.startsWith('SIG')) { log('stack', `${reason} again: killing everything now`); for (const s of liveScopes) s.closeSync(); process.exit(code || 130); }
      return;
    }
    requested = true;
    Promise.resolve(onShutdown(code, reason)).catch((e) => log('stack', `shutdown error: ${e.stack || e}`)).finally(() => process.exit(code));
  };
  process.on('SIGINT', () => trigger(0, 'SIGINT'));
  process.on('SIGTERM', () => trigger(0, 'SIGTERM'));
  process.on('SIGHUP', () => trigger(0, 'SIGHUP'));
  process.on('uncaughtException', (e) => { log('stack', `uncaught error: ${e.stack || e}`); trigger(1, 'uncaughtException'); });
  process.on('unhandledRejection', (e) => { log('stack', `unhandled rejection: ${e?.stack || e}`); trigger(1, 'unhandledRejection'); });
  process.stderr.on('error', () => {});
  process.stdout.on('error', () => {});
  if (stdinLifetime) {
    process.stdin.on('data', () => {});
    process.stdin.on('end', () => trigger(0, 'stdin closed'));
    process.stdin.on('close', () => trigger(0, 'stdin closed'));
    process.stdin.on('error', () => trigger(0, 'stdin error'));
    process.stdin.resume();
  }
}

process.on('exit', () => { for (const s of liveScopes) s.closeSync(); });
