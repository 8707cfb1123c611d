// CPU seconds of an upload leg by component (S3 server, API, curl, Chromium's processes, …), from /proc.
import { log } from '../../scripts/lib/util.mjs';
import { machineBusy, processTable } from '../../scripts/lib/machine.mjs';
import { waitQuiet } from './lib.mjs';

export function classify(p) {
  if (p.cmd.includes('scripts/lib/s3-process.mjs')) return 's3rver';
  if (p.cmd.includes('scripts/stack.mjs')) return 'launcher node (S3 socket; s3rver itself with LOCAL_S3_PROCESSES=1)';
  if (p.cmd.includes('StreamForge.Api')) return 'api';
  if (p.cmd.includes('StreamForge.Worker')) return 'worker';
  if (p.cmd.includes('nginx')) return 'nginx';
  if (p.cmd.includes('postgres')) return 'postgres';
  if (p.cmd.startsWith('curl')) return 'curl';
  if (/chrom/.test(p.cmd)) {
    if (p.cmd.includes('--type=renderer')) return 'chromium renderer';
    if (p.cmd.includes('network.mojom.NetworkService')) return 'chromium network';
    if (p.cmd.includes('--type=')) return 'chromium other';
    return 'chromium browser';
  }
  if (p.pid === process.pid) return 'bench node';
  return null;
}
export function cpuByGroup() {
  const g = {};
  for (const p of processTable()) {
    const k = classify(p);
    if (k) g[k] = (g[k] ?? 0) + p.cpu;
  }
  return g;
}
/** Runs fn, returns { seconds, MBps, cpu: {group: seconds}, machineBusyCores }. curl CPU is from finished children. */
export async function measure(name, bytes, fn) {
  const idle = await waitQuiet();
  const c0 = cpuByGroup();
  const m0 = machineBusy();
  const t0 = performance.now();
  const extra = (await fn()) ?? {};
  const seconds = (performance.now() - t0) / 1000;
  const c1 = cpuByGroup();
  const m1 = machineBusy();
  const cpu = {};
  for (const k of new Set([...Object.keys(c0), ...Object.keys(c1)])) {
    const d = (c1[k] ?? 0) - (c0[k] ?? 0);
    if (d > 0.05) cpu[k] = Math.round(d * 100) / 100;
  }
  const r = { leg: name, seconds: Math.round(seconds * 100) / 100, MBps: Math.round((bytes / 1e6 / seconds) * 10) / 10, busyCores: Math.round(((m1 - m0) / seconds) * 100) / 100, busyBefore: Math.round(idle * 100) / 100, cpu, ...extra };
  log('diag', JSON.stringify(r));
  return r;
}
