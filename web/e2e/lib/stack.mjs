// Starts the real stack for the browser tests and the benchmark: `node scripts/stack.mjs --ephemeral
// --api …` prints one `STACK_READY {json}` line on stdout; closing stdin (--stdin-lifetime) stops it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
// There is no stand-in stack any more; web/bench still reads this flag for its report.
export const useMock = false;

export function startStack({ env = {}, logFile, workers = 1 }) {
  const [cmd, args] = ['node', ['scripts/stack.mjs', '--ephemeral', '--api', '--workers', String(workers), '--build-web', '--stdin-lifetime',
    // the fault specs kill and restart the API and the S3 server through the launcher, which keeps owning them
    '--control',
    // E2E_NO_BUILD=1 reuses the solution's existing build (the SPA is still rebuilt).
    ...(process.env.E2E_NO_BUILD ? ['--no-build'] : [])]];
  process.stderr.write(`[stack] starting: ${cmd} ${args.join(' ')}\n`);
  const child = spawn(cmd, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  child.stderr.pipe(fs.createWriteStream(logFile));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('stack did not print STACK_READY within 15 minutes')), 15 * 60_000);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('STACK_READY ')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('STACK_READY '.length)));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited with ${code} before it was ready (see ${path.relative(repoRoot, logFile)})`));
    });
  });
  ready.catch(() => undefined); // reported by whoever awaits it
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.stdin.end();
    const exited = new Promise((r) => child.once('exit', r));
    if ((await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000, 'timeout'))])) === 'timeout') {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
  };
  // pid: the launcher's, whose descendants (s3rver processes, API, workers) fault tests signal.
  return { ready, stop, pid: child.pid };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run', '--autoplay-policy=no-user-gesture-required',
];
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** A minimal cookie-carrying API client for setup done outside the browser. */
export function apiClient(baseUrl) {
  let cookie = '';
  return {
    get cookieHeader() {
      return cookie;
    },
    async call(method, p, body) {
      const res = await fetch(baseUrl + p, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF': '1', cookie },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const set = res.headers.getSetCookie?.() ?? [];
      if (set.length) {
        const jar = new Map(cookie ? cookie.split('; ').map((c) => c.split('=')) : []);
        for (const c of set) {
          const [pair] = c.split(';');
          const [name, ...rest] = pair.split('=');
          jar.set(name, rest.join('='));
        }
        cookie = [...jar].filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join('; ');
      }
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${text.slice(0, 300)}`);
      return text ? JSON.parse(text) : null;
    },
  };
}
