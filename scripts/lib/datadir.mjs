// Data folders: persistent (<repo>/.data by default) or ephemeral (fresh dir under os.tmpdir(),
// removed on exit; leftovers of killed runs are swept at the next start).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { repoRoot, log } from './util.mjs';
import { cmdline } from './proc.mjs';

export const DEFAULT_DATA_DIR = path.join(repoRoot, '.data');
const EPHEMERAL_PREFIX = 'streamforge-stack-';

function alive(pid) {
  if (!(pid > 0)) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readPid(file) {
  try { return Number(fs.readFileSync(file, 'utf8').split('\n')[0].trim()); } catch { return 0; }
}

/** Removes ephemeral dirs whose owning stack process is gone (stopping any server left in them). */
export function sweepStaleEphemeral() {
  const tmp = os.tmpdir();
  let names = [];
  try { names = fs.readdirSync(tmp).filter((n) => n.startsWith(EPHEMERAL_PREFIX)); } catch { return; }
  for (const name of names) {
    const dir = path.join(tmp, name);
    try {
      const owner = readPid(path.join(dir, 'owner.pid'));
      // no owner.pid: a folder being created right now, or one a failed removal left half-deleted
      if (owner ? alive(owner) : Date.now() - fs.statSync(dir).mtimeMs < 60_000) continue;
      const signalled = [];
      const pgPid = readPid(path.join(dir, 'postgres/data/postmaster.pid'));
      if (alive(pgPid) && cmdline(pgPid).includes(dir)) { process.kill(pgPid, 'SIGQUIT'); signalled.push(pgPid); }
      const ngPid = readPid(path.join(dir, 'cdn/nginx.pid'));
      if (alive(ngPid) && cmdline(ngPid).includes(dir)) { process.kill(ngPid, 'SIGTERM'); signalled.push(ngPid); }
      for (let i = 0; i < 50 && signalled.some(alive); i++) sleepSync(50);
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      log('stack', `removed stale ephemeral stack folder ${dir}`);
    } catch { /* best effort */ }
  }
}

/** Creates a fresh ephemeral base folder (traversable by the postgres user), registered for removal. */
export function makeEphemeralDir(scope) {
  sweepStaleEphemeral();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), EPHEMERAL_PREFIX));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'owner.pid'), `${process.pid}\n`);
  const remove = () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  scope.defer('data', async () => { remove(); log('stack', `removed ${dir}`); }, remove);
  return dir;
}

export function makePersistentDir(dir = DEFAULT_DATA_DIR) {
  const abs = path.resolve(dir);
  fs.mkdirSync(abs, { recursive: true });
  return abs;
}

/** Persistent: generated once into <data>/jwt.key; ephemeral: random per run. */
export function jwtSigningKey(baseDir, ephemeral) {
  const fresh = () => crypto.randomBytes(48).toString('base64');
  if (ephemeral) return fresh();
  const file = path.join(baseDir, 'jwt.key');
  if (fs.existsSync(file)) {
    const k = fs.readFileSync(file, 'utf8').trim();
    if (k.length >= 32) return k;
  }
  const k = fresh();
  fs.writeFileSync(file, `${k}\n`, { mode: 0o600 });
  log('stack', `generated a JWT signing key in ${file}`);
  return k;
}

/**
 * The local stack's database password, S3 key pairs (main, and upload-only for presigned URLs) and the playback-token
 * secret the API and the CDN's secure_link check share: random per data
 * folder, kept in <data>/credentials.json (0600) for a persistent one, fresh per run for an ephemeral one. Nothing
 * the stack runs on is reachable with a value printed in the repository.
 */
export function localCredentials(baseDir, ephemeral) {
  const token = (bytes) => crypto.randomBytes(bytes).toString('base64url');
  const fresh = () => ({
    databasePassword: token(24),
    s3: {
      accessKey: `SF${crypto.randomBytes(9).toString('hex').toUpperCase()}`,
      secretKey: token(30),
      uploadAccessKey: `SFUP${crypto.randomBytes(8).toString('hex').toUpperCase()}`,
      uploadSecretKey: token(30),
    },
    // base64url only: it is written into the nginx config as is.
    playbackTokenSecret: token(32),
  });
  if (ephemeral) return fresh();
  const file = path.join(baseDir, 'credentials.json');
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (stored?.databasePassword && stored?.s3?.accessKey && stored.s3.secretKey && stored.s3.uploadAccessKey && stored.s3.uploadSecretKey) {
      // Data folders made before private videos get their playback secret added once.
      if (!stored.playbackTokenSecret) {
        stored.playbackTokenSecret = token(32);
        fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
      }
      return stored;
    }
  } catch { /* absent or unreadable: generate */ }
  const created = fresh();
  fs.writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  log('stack', `generated the local database password and S3 keys in ${file}`);
  return created;
}
