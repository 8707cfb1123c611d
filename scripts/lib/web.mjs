// The SPA: built by the web workspace into web/dist, served by the API (Web__DistPath).
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, log } from './util.mjs';
import { runToEnd } from './procs.mjs';

export const WEB_DIR = path.join(repoRoot, 'web');
export const WEB_DIST = path.join(WEB_DIR, 'dist');

export function webScripts() {
  try { return JSON.parse(fs.readFileSync(path.join(WEB_DIR, 'package.json'), 'utf8')).scripts || {}; } catch { return {}; }
}

/** Runs `npm run build -w web` when forced or when web/dist is missing (and a build script exists). */
export async function ensureWebBuilt({ scope, force = false }) {
  const hasDist = fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (!force && hasDist) return;
  if (!webScripts().build) {
    log('web', `web/package.json has no "build" script yet: ${hasDist ? 'serving the existing web/dist' : 'no SPA to serve'}`);
    return;
  }
  const t0 = Date.now();
  log('web', 'npm run build -w web');
  try {
    await runToEnd(scope, 'web', 'npm', ['run', 'build', '-w', 'web'], { cwd: repoRoot });
  } catch (e) {
    // fatal when asked for (--build-web); otherwise the API just runs without the SPA
    if (force) throw new Error(`web build failed${e.tail ? `:\n${e.tail}` : ''}`);
    log('web', `web build failed: continuing without the SPA (${hasDist ? 'previous web/dist kept' : 'no web/dist'})`);
    return;
  }
  log('web', `built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
