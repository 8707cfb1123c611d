// Plumbing shared by the web benches: the stack (real launcher or the browser test's mock stack,
// which speaks the same STACK_READY / stdin contract), the API client and machine figures come from
// the repo's tooling library in scripts/lib.
import { spawn, execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchStack } from '../../scripts/lib/stack-client.mjs';
import { repoRoot } from '../../scripts/lib/util.mjs';
import { waitQuiet as waitQuietMachine } from '../../scripts/lib/machine.mjs';

export { repoRoot, sleep } from '../../scripts/lib/util.mjs';
export { apiClient } from '../../scripts/lib/api-client.mjs';
export { machineBusy, otherBenchmarks, waitForOtherBenchmarks } from '../../scripts/lib/machine.mjs';
export { median } from '../../scripts/lib/figures.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const useMock = process.env.E2E_STACK === 'mock';
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run', '--autoplay-policy=no-user-gesture-required',
];

/** The stack for a web bench: { ready, stop }. E2E_NO_BUILD=1 reuses the solution's build (the SPA is still rebuilt). */
export function startStack({ env = {}, logFile, workers = 1 }) {
  if (useMock) execFileSync('npm', ['run', 'build', '-w', 'web'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  return launchStack({
    command: useMock ? [process.execPath, [path.join(here, '..', 'e2e', 'mock-stack.mjs'), '--stdin-lifetime']] : undefined,
    args: ['--api', '--workers', String(workers), '--build-web', ...(process.env.E2E_NO_BUILD ? ['--no-build'] : [])],
    env,
    logFile,
    stopTimeoutMs: 20_000,
  });
}

/** Playwright cookies for a signed-in API client (the refresh cookie is scoped to the auth routes). */
export function browserCookies(admin, apiUrl) {
  const url = new URL(apiUrl);
  return admin.cookieHeader.split('; ').filter(Boolean).map((c) => {
    const [name, ...v] = c.split('=');
    return { name, value: v.join('='), domain: url.hostname, path: name === 'sf_refresh' ? '/api/v1/auth' : '/' };
  });
}

/** Waits until the machine is idle (< 0.25 busy cores over 2 s, at most 60 s); returns the last reading in cores. */
export async function waitQuiet() {
  const { otherCores } = await waitQuietMachine({ maxCores: 0.25, maxWaitS: 60, quietLog: true });
  return Math.round(otherCores * 100) / 100;
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
