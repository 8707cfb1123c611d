// What the machine and its processes are doing (read through proc.mjs): CPU seconds, memory, process trees,
// and "wait until the machine is quiet" so that a measurement is not shared with someone else's build.
import { execFileSync } from 'node:child_process';
import { log, sleep } from './util.mjs';
import { cmdline, machineCpu, pids, stat } from './proc.mjs';

export { CLK_TCK, machineCpu, loadavg, statusKb as procStatusKb } from './proc.mjs';

/** Every process: { pid, ppid, cpu (utime+stime seconds), cmd }. */
export function processTable() {
  const out = [];
  for (const pid of pids()) {
    const s = stat(pid);
    if (s) out.push({ pid, ppid: s.ppid, cpu: s.utime + s.stime, cmd: cmdline(pid) });
  }
  return out;
}

/** Children (direct) of pid whose command line contains `needle`. */
export function childPids(ppid, needle) {
  return pids().filter((pid) => stat(pid)?.ppid === ppid && (!needle || cmdline(pid).includes(needle)));
}

/** All pids whose command line contains `needle`. */
export function pidsMatching(needle) {
  return pids().filter((pid) => cmdline(pid).includes(needle));
}

/** utime+stime of a process, in seconds (0 if gone). */
export function cpuSeconds(pid) {
  const s = stat(pid);
  return s ? s.utime + s.stime : 0;
}

/** utime+stime+cutime+cstime: a process and the children it has reaped (e.g. a worker and its ffmpegs). */
export function cpuWithChildren(pid) {
  const s = stat(pid);
  return s ? s.utime + s.stime + s.cutime + s.cstime : 0;
}

/** cutime+cstime of this process: CPU of children we have waited for. */
export function childrenCpuSeconds() {
  const s = stat('self');
  return s.cutime + s.cstime;
}

/** Machine-wide busy CPU seconds (all cores). */
export const machineBusy = () => machineCpu().busy;

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
