// Prerequisites: what is missing, and installing Debian packages when running as root.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { isRoot, which, runSync, log, repoRoot } from './util.mjs';
import { findPgBin } from './postgres.mjs';

export const DOTNET_HINT = 'the .NET 10 SDK is not in Debian\'s archive: see https://learn.microsoft.com/dotnet/core/install/linux-debian (or https://dot.net/v1/dotnet-install.sh --channel 10.0)';

/**
 * Debian packages behind the tools we use. For `npm start` nginx is optional (it only costs the CDN);
 * `npm test` needs it (the CDN tests) and Chromium (the browser tests), so it passes `nginxRequired`.
 */
export function missingPackages({ withNginx = true, nginxRequired = false, withChromium = false } = {}) {
  const required = [];
  const optional = [];
  if (!findPgBin()) required.push('postgresql');
  if (!which('ffmpeg') || !which('ffprobe')) required.push('ffmpeg');
  if (withNginx && !which('nginx')) (nginxRequired ? required : optional).push('nginx');
  if (withChromium && !which('chromium')) required.push('chromium');
  return { required, optional };
}

/** apt-get update once, then apt-get install -y. Output goes to stderr (stdout may be machine-read). */
export function aptInstall(packages) {
  if (!packages.length) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log('setup', `installing Debian packages: ${packages.join(' ')}`);
  for (const args of [['update'], ['install', '-y', ...packages]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 2, 2], env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.error})`);
  }
}

/**
 * Installs missing packages when root; otherwise returns the exact command to run.
 * Returns { ok, command?, skippedOptional: [] }.
 */
export function ensurePackages(opts) {
  const { required, optional } = missingPackages(opts);
  const all = [...required, ...optional];
  if (!all.length) return { ok: true, skippedOptional: [] };
  if (isRoot && which('apt-get')) {
    aptInstall(all);
    const after = missingPackages(opts);
    if (after.required.length) return { ok: false, command: `apt-get install -y ${after.required.join(' ')}`, skippedOptional: after.optional };
    return { ok: true, skippedOptional: after.optional };
  }
  if (required.length) return { ok: false, command: `sudo apt-get install -y ${all.join(' ')}`, skippedOptional: optional };
  return { ok: true, skippedOptional: optional, command: `sudo apt-get install -y ${optional.join(' ')}` };
}

/**
 * The checks both `npm start` and `npm test` run before anything else: Node, the .NET SDK, Debian packages
 * (installed when root, otherwise the exact apt-get line), then the npm packages. Returns the skipped
 * optional packages' install command, or exits the process with a message.
 */
export function ensurePrerequisites(packageOptions) {
  const fail = (message) => { console.error(message); process.exit(1); };
  if (!nodeOk()) fail(`Node.js >= 20 is required (this is ${process.version})`);
  const sdks = dotnetSdks();
  if (!sdks.some((v) => Number(v.split('.')[0]) >= 10)) {
    fail(`dotnet SDK 10 not found (${sdks.length ? `installed: ${sdks.join(', ')}` : 'no dotnet on PATH'}): ${DOTNET_HINT}`);
  }
  let pkgs;
  try { pkgs = ensurePackages(packageOptions); } catch (e) { fail(e.message); }
  if (!pkgs.ok) fail(`Missing system packages. Install them with:\n  ${pkgs.command}`);
  ensureNodeModules();
  return pkgs;
}

/** `npm install` when the root or web packages are missing (a fresh clone). */
export function ensureNodeModules() {
  const needed = ['@20minutes/s3rver', 'vite', 'playwright-core'];
  if (needed.every((p) => fs.existsSync(path.join(repoRoot, 'node_modules', p)))) return;
  log('setup', 'npm install');
  const flock = which('flock');
  const r = flock
    ? spawnSync(flock, ['/tmp/npm.lock', 'npm', 'install', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: ['ignore', 2, 2] })
    : spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) { console.error('npm install failed'); process.exit(1); }
}

export function nodeOk() {
  return Number(process.versions.node.split('.')[0]) >= 20;
}

/** The installed .NET SDK versions (empty when dotnet is absent). */
export function dotnetSdks() {
  if (!which('dotnet')) return [];
  return runSync('dotnet', ['--list-sdks']).stdout.split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
}
