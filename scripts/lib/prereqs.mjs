// Prerequisites: what is missing, and installing Debian packages when running as root.
import { spawnSync } from 'node:child_process';
import { isRoot, which, runSync, log } from './util.mjs';
import { findPgBin } from './postgres.mjs';

export const DOTNET_HINT = 'the .NET 10 SDK is not in Debian\'s archive: see https://learn.microsoft.com/dotnet/core/install/linux-debian (or https://dot.net/v1/dotnet-install.sh --channel 10.0)';

/** Debian packages behind the tools we use; `optional` ones only cost a feature (nginx = the CDN). */
export function missingPackages({ withNginx = true, withChromium = false } = {}) {
  const required = [];
  const optional = [];
  if (!findPgBin()) required.push('postgresql');
  if (!which('ffmpeg') || !which('ffprobe')) required.push('ffmpeg');
  if (withNginx && !which('nginx')) optional.push('nginx');
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

export function nodeOk() {
  return Number(process.versions.node.split('.')[0]) >= 20;
}

/** The installed .NET SDK versions (empty when dotnet is absent). */
export function dotnetSdks() {
  if (!which('dotnet')) return [];
  return runSync('dotnet', ['--list-sdks']).stdout.split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
}
