// How busy the machine was while a bench ran, and whether that was quiet enough for its figures to count.
// The load average alone cannot say: our own stack, browser and ffmpeg load the machine too (a 2-core box
// runs at load 2+ during the pipeline bench). So every few seconds we also take the CPU used by processes
// outside our own process tree (machine busy CPU minus our tree's), which is what skews a comparison.
import os from 'node:os';
import { machineCpu, pids, stat } from './proc.mjs';
import { median } from './figures.mjs';

/**
 * The quiet-machine rule: over the run, other processes used ≤ 0.25 cores at the median and ≤ 0.5 cores
 * at the 90th percentile of the samples. Above that, the run's verdicts read "noisy" and do not count.
 */
export const QUIET_RULE = { medianCores: 0.25, p90Cores: 0.5 };

/** CPU seconds (own + reaped children) of `root` and every process below it. */
export function treeCpuSeconds(root = process.pid) {
  const byParent = new Map();
  const stats = new Map();
  for (const pid of pids()) {
    const s = stat(pid);
    if (!s) continue;
    stats.set(pid, s);
    if (!byParent.has(s.ppid)) byParent.set(s.ppid, []);
    byParent.get(s.ppid).push(pid);
  }
  let total = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop();
    const s = stats.get(pid);
    // a child's time moves into its parent's cutime when the parent reaps it: the sum stays continuous
    if (s) total += s.utime + s.stime + s.cutime + s.cstime;
    todo.push(...(byParent.get(pid) ?? []));
  }
  return total;
}

const p90 = (v) => { const a = [...v].sort((x, y) => x - y); return a.length ? a[Math.min(a.length - 1, Math.ceil(0.9 * a.length) - 1)] : null; };
const r2 = (x) => (x === null || x === undefined ? null : Math.round(x * 100) / 100);

/**
 * Starts sampling every intervalMs: the 1-minute load average and the cores used by processes outside
 * the tree of `root`. stop() (or summary() while running) gives
 * { samples, intervalS, loadavg: {min, median, max}, otherCores: {median, p90, max}, quiet, rule }.
 */
export function startLoadSampler({ root = process.pid, intervalMs = 5000 } = {}) {
  const samples = [];
  let prev = { m: machineCpu().busy, own: treeCpuSeconds(root), t: Date.now() };
  const take = () => {
    const now = { m: machineCpu().busy, own: treeCpuSeconds(root), t: Date.now() };
    const dt = (now.t - prev.t) / 1000;
    if (dt >= Math.min(0.5, intervalMs / 2000)) {
      const other = Math.max(0, (now.m - prev.m) - Math.max(0, now.own - prev.own)) / dt;
      samples.push({ t: new Date(now.t).toISOString(), load1: os.loadavg()[0], otherCores: r2(other) });
      prev = now;
    }
  };
  const timer = setInterval(take, intervalMs);
  timer.unref();
  const summary = () => {
    const loads = samples.map((s) => s.load1);
    const other = samples.map((s) => s.otherCores);
    const otherMedian = median(other);
    const otherP90 = p90(other);
    return {
      samples: samples.length,
      intervalS: intervalMs / 1000,
      loadavg: { min: r2(loads.length ? Math.min(...loads) : null), median: r2(median(loads)), max: r2(loads.length ? Math.max(...loads) : null) },
      otherCores: { median: r2(otherMedian), p90: r2(otherP90), max: r2(other.length ? Math.max(...other) : null) },
      // too short to judge (no sample) is not quiet: nothing says it was
      quiet: samples.length > 0 && otherMedian <= QUIET_RULE.medianCores && otherP90 <= QUIET_RULE.p90Cores,
      rule: `other processes ≤ ${QUIET_RULE.medianCores} cores median and ≤ ${QUIET_RULE.p90Cores} at p90 (${intervalMs / 1000} s samples)`,
      series: samples,
    };
  };
  return {
    summary,
    stop() { clearInterval(timer); take(); return summary(); },
  };
}

/** "load 1.2/2.0/3.1 (min/median/max), other processes 0.10 cores median": one line for logs and tables. */
export function loadLine(l) {
  if (!l) return 'load not sampled';
  return `load average ${l.loadavg.min}/${l.loadavg.median}/${l.loadavg.max} (min/median/max of ${l.samples}), `
    + `other processes ${l.otherCores.median} cores median, ${l.otherCores.p90} p90: ${l.quiet ? 'quiet' : 'NOT quiet'}`;
}
