// Helpers shared by bench/run.mjs and bench/upload-diag.mjs.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Other benchmarks running on this machine (their figures and ours would be corrupted). */
export function otherBenchmarks() {
  try {
    return execFileSync('pgrep', ['-af', 'tests/bench/'], { encoding: 'utf8' })
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
export async function waitForOtherBenchmarks(log, what) {
  const t0 = Date.now();
  for (let others = otherBenchmarks(); others.length; others = otherBenchmarks()) {
    if (Date.now() - t0 > 15 * 60_000) {
      log(`another benchmark still runs after 15 min, measuring ${what} anyway: ${others.join(' | ')}`);
      return others;
    }
    log(`waiting for another benchmark to finish before ${what}: ${others.join(' | ')}`);
    await sleep(20_000);
  }
  return [];
}

/** Machine-wide busy CPU seconds (all cores) from /proc/stat. */
export function machineBusy() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (f.slice(0, 8).reduce((a, b) => a + b, 0) - f[3] - f[4]) / 100;
}

/** Waits until the machine is idle (< 0.25 busy cores over 2 s, at most 60 s); returns the last reading. */
export async function waitQuiet() {
  const t0 = Date.now();
  for (;;) {
    const a = machineBusy();
    await sleep(2000);
    const busy = (machineBusy() - a) / 2;
    if (busy < 0.25 || Date.now() - t0 > 60_000) return Math.round(busy * 100) / 100;
  }
}

/** `curl -T file url` (no Content-Type: presigned URLs sign only the host); resolves { etag }. */
export function curlPut(file, url) {
  return new Promise((resolve, reject) => {
    const c = spawn('curl', ['-sS', '-D', '-', '-o', '/dev/null', '-T', file, '-H', 'Content-Type:', '-w', '\n%{http_code} %{time_total}', url]);
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('close', (code) => {
      const status = Number(/(\d{3}) [\d.]+\s*$/.exec(out)?.[1]);
      if (code !== 0 || !(status >= 200 && status < 300)) reject(new Error(`curl exited ${code}, HTTP ${status}: ${err.trim()} ${out.slice(-300)}`));
      else resolve({ etag: /etag:\s*(\S+)/i.exec(out)?.[1] ?? null });
    });
  });
}
