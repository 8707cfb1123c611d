// Plumbing shared by the web benches: the stack, the API client, the browser and machine figures come
// from the repo's tooling library in scripts/lib.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchStack } from '../../scripts/lib/stack-client.mjs';
import { waitQuiet as waitQuietMachine } from '../../scripts/lib/machine.mjs';
import { startLoadSampler } from '../../scripts/lib/bench-load.mjs';
import { repoRoot } from '../../scripts/lib/util.mjs';

export { repoRoot, sleep } from '../../scripts/lib/util.mjs';
export { apiClient } from '../../scripts/lib/api-client.mjs';
export { machineBusy, otherBenchmarks, waitForOtherBenchmarks } from '../../scripts/lib/machine.mjs';
export { median } from '../../scripts/lib/figures.mjs';

export { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/lib/browser.mjs';

/** The stack for a web bench: { ready, stop }. E2E_NO_BUILD=1 reuses the solution's build (the SPA is still rebuilt). */
export function startStack({ env = {}, logFile, workers = 1 }) {
  return launchStack({
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

/** A web bench's options: node:util parseArgs (not strict: `npm run bench` passes every bench all options) plus --no-build. */
export function benchOptions(options) {
  const { values } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false }, ...options }, strict: false });
  if (values['no-build']) process.env.E2E_NO_BUILD = '1';
  return values;
}

/**
 * The frame every web bench shares: the stack (started at once), the load sampler, the result JSON, the
 * summary on stdout and a shutdown that always runs, then the exit code (1 when the body threw).
 *   await runWebBench({ name, stack: { workers, env }, sampleLoad }, async (b) => { …; b.write(result); b.print(lines); });
 * b: { ready (the stack's info, a promise), artifacts, log, stopLoad() (the sampler's summary, series included),
 *      cleanup(fn) (run at the end, last registered first; the browser first, the stack last), write(result)
 *      (tests/artifacts/bench/<json ?? name.json>), print(lines) }.
 */
export async function runWebBench({ name, json = `${name}.json`, stack: stackOpts = {}, sampleLoad = false }, body) {
  const artifacts = path.join(repoRoot, 'tests/artifacts/bench');
  const log = (...a) => process.stderr.write(`[${name}] ${a.join(' ')}\n`);
  const stack = startStack({ logFile: path.join(artifacts, `${name}-stack.log`), workers: stackOpts.workers ?? 1, env: stackOpts.env ?? {} });
  const sampler = sampleLoad ? startLoadSampler() : null;
  const cleanups = [];
  let exitCode = 0;
  try {
    fs.mkdirSync(artifacts, { recursive: true });
    await body({
      ready: stack.ready,
      artifacts,
      log,
      stopLoad: () => sampler?.stop() ?? null,
      cleanup: (fn) => cleanups.push(fn),
      write: (result) => fs.writeFileSync(path.join(artifacts, json), JSON.stringify(result, null, 2)),
      print: (lines) => process.stdout.write(`${lines.join('\n')}\n`),
    });
  } catch (error) {
    log(`failed: ${error?.stack ?? error}`);
    exitCode = 1;
  } finally {
    sampler?.stop();
    for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch(() => undefined);
    await stack.stop().catch(() => undefined);
  }
  process.exit(exitCode);
}
