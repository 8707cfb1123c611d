// What the machine and its processes are doing, from /proc: CPU seconds, memory, process trees,
// and "wait until the machine is quiet" so that a measurement is not shared with someone else's build.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { log, sleep } from './util.mjs';

export const CLK_TCK = 100; // Linux USER_HZ

function statFields(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function allPids() {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

/** Every process: { pid, ppid, cpu (utime+stime seconds), cmd }. */
export function processTable() {
  const out = [];
  for (const pid of allPids()) {
    try {
      const f = statFields(pid);
      out.push({ pid, ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / CLK_TCK, cmd: cmdline(pid) });
    } catch { /* gone */ }
  }
  return out;
}

const cmdline = (pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');

/** Children (direct) of pid whose command line contains `needle`. */
export function childPids(ppid, needle) {
  const out = [];
  for (const pid of allPids()) {
    try {
      if (Number(statFields(pid)[1]) !== ppid) continue;
      if (!needle || cmdline(pid).includes(needle)) out.push(pid);
    } catch { /* gone */ }
  }
  return out;
}

/** All pids whose command line contains `needle`. */
export function pidsMatching(needle) {
  return allPids().filter((pid) => { try { return cmdline(pid).includes(needle); } catch { return false; } });
}

/** utime+stime of a process, in seconds (0 if gone). */
export function cpuSeconds(pid) {
  try { const f = statFields(pid); return (Number(f[11]) + Number(f[12])) / CLK_TCK; } catch { return 0; }
}

/** utime+stime+cutime+cstime: a process and the children it has reaped (e.g. a worker and its ffmpegs). */
export function cpuWithChildren(pid) {
  try { const f = statFields(pid); return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK; } catch { return 0; }
}

/** cutime+cstime of this process: CPU of children we have waited for. */
export function childrenCpuSeconds() {
  const f = statFields('self');
  return (Number(f[13]) + Number(f[14])) / CLK_TCK;
}

/** Machine-wide busy and total CPU seconds (all cores) from /proc/stat. */
export function machineCpu() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0) / CLK_TCK;
  const idle = (f[3] + f[4]) / CLK_TCK;
  return { busy: total - idle, total };
}

/** Machine-wide busy CPU seconds (all cores). */
export const machineBusy = () => machineCpu().busy;

/** Fields of /proc/<pid>/status in kB (e.g. VmRSS, VmHWM). */
export function procStatusKb(pid, ...keys) {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const out = {};
  for (const k of keys) { const m = text.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm')); out[k] = m ? Number(m[1]) : null; }
  return out;
}

export const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/**
 * Waits (bounded by maxWaitS; BENCH_QUIET_WAIT seconds, default 120) until the machine is quiet: busy CPU
 * over a 2 s window, minus what ownCpu() says our own processes used, below maxCores.
 * Returns { waitedS, otherCores } (the last window's figure).
 */
export async function waitQuiet({ maxCores = 0.3, maxWaitS = Number(process.env.BENCH_QUIET_WAIT ?? 120), ownCpu = () => 0, tag = 'bench', quietLog = false } = {}) {
  const t0 = Date.now();
  let other = 0;
  for (;;) {
    const m0 = machineCpu(), o0 = ownCpu();
    await sleep(2000);
    const m1 = machineCpu(), o1 = ownCpu();
    other = Math.max(0, (m1.busy - m0.busy) - (o1 - o0)) / 2;
    if (other <= maxCores) break;
    if ((Date.now() - t0) / 1000 >= maxWaitS) {
      if (!quietLog) log(tag, `machine still busy after ${maxWaitS} s (${other.toFixed(2)} cores used by other processes): measuring anyway`);
      break;
    }
  }
  return { waitedS: (Date.now() - t0) / 1000 - 2, otherCores: other };
}

/** Other benchmarks running on this machine (their figures and ours would be corrupted). */
export function otherBenchmarks(pattern = 'tests/bench/') {
  try {
    return execFileSync('pgrep', ['-af', pattern], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l && !l.includes('pgrep') && !l.startsWith(`${process.pid} `));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/**
 * Waits (20 s polls, up to 15 min) until no other benchmark runs.
 * Returns the ones still running after 15 min (empty when it is quiet).
 */
export async function waitForOtherBenchmarks(say, what) {
  const t0 = Date.now();
  for (let others = otherBenchmarks(); others.length; others = otherBenchmarks()) {
    if (Date.now() - t0 > 15 * 60_000) {
      say(`another benchmark still runs after 15 min, measuring ${what} anyway: ${others.join(' | ')}`);
      return others;
    }
    say(`waiting for another benchmark to finish before ${what}: ${others.join(' | ')}`);
    await sleep(20_000);
  }
  return [];
}
