// PostgreSQL from the distribution's binaries, in a folder of ours, on 127.0.0.1:<port>.
// As root, initdb/postgres/pg_ctl run as the "postgres" user through `runuser` (initdb refuses root).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { isRoot, log, runSync, sleep, isExecutable, withParentDeathSignal } from './util.mjs';
import { freePort, assertPortFree } from './ports.mjs';

/** The application's role and database; its password is the data folder's own (localCredentials in datadir.mjs). */
export const DB = { database: 'streamforge', username: 'streamforge' };
const PG_USER = 'postgres';

/** Newest /usr/lib/postgresql/<major>/bin holding initdb + postgres + pg_ctl (or $PG_BIN). */
export function findPgBin() {
  const candidates = [];
  if (process.env.PG_BIN) candidates.push({ bin: process.env.PG_BIN, major: null });
  try {
    for (const v of fs.readdirSync('/usr/lib/postgresql')) {
      if (/^\d+(\.\d+)?$/.test(v)) candidates.push({ bin: `/usr/lib/postgresql/${v}/bin`, major: Number(v) });
    }
  } catch { /* not installed */ }
  candidates.sort((a, b) => (b.major ?? Infinity) - (a.major ?? Infinity));
  for (const c of candidates) {
    if (['initdb', 'postgres', 'pg_ctl', 'pg_isready', 'psql'].every((b) => isExecutable(path.join(c.bin, b)))) {
      if (c.major === null) {
        const m = /(\d+)/.exec(runSync(path.join(c.bin, 'postgres'), ['--version']).stdout);
        c.major = m ? Number(m[1]) : null;
      }
      return c;
    }
  }
  return null;
}

function pgUserIds() {
  const uid = runSync('id', ['-u', PG_USER]);
  const gid = runSync('id', ['-g', PG_USER]);
  if (uid.status !== 0) throw new Error(`running as root needs the unprivileged "${PG_USER}" user (created by the Debian postgresql package): apt-get install -y postgresql`);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** [cmd, args] that runs a PostgreSQL binary as the right user. */
function asPg(cmd, args) {
  return isRoot ? ['runuser', ['-u', PG_USER, '--', cmd, ...args]] : [cmd, args];
}

function chownTree(dir, ids) {
  const r = runSync('chown', ['-R', `${ids.uid}:${ids.gid}`, dir]);
  if (r.status !== 0) throw new Error(`chown ${dir} failed: ${r.stderr}`);
}

/**
 * Starts PostgreSQL with its files under `dir` (data/, run/ for the socket, postgres.log); the application role
 * logs in with `password`.
 * Returns connection facts; registers the stop (pg_ctl stop -m fast) with the scope.
 */
export async function startPostgres({ scope, dir, password, port = null, ephemeral = false }) {
  if (!password) throw new Error('startPostgres needs the application role\'s password');
  const pg = findPgBin();
  if (!pg) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql/*/bin: apt-get install -y postgresql');
  const dataDir = path.join(dir, 'data');
  const runDir = path.join(dir, 'run');
  const logFile = path.join(dir, 'postgres.log');
  const ids = isRoot ? pgUserIds() : null;

  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  if (ids) {
    const st = fs.statSync(dir);
    const dataSt = fs.existsSync(dataDir) ? fs.statSync(dataDir) : null;
    if (st.uid !== ids.uid || (dataSt && dataSt.uid !== ids.uid)) chownTree(dir, ids);
    else fs.chownSync(runDir, ids.uid, ids.gid);
    // The postgres user must be able to reach the folder (e.g. not under /root).
    const probe = runSync('runuser', ['-u', PG_USER, '--', 'test', '-w', dir]);
    if (probe.status !== 0) {
      throw new Error(`the "${PG_USER}" user cannot reach ${dir} (a parent folder is not traversable, e.g. /root): choose a data folder elsewhere with --data DIR`);
    }
  }
  fs.writeFileSync(logFile, '', { flag: 'a' });

  const versionFile = path.join(dataDir, 'PG_VERSION');
  if (fs.existsSync(versionFile)) {
    const dataMajor = Number(fs.readFileSync(versionFile, 'utf8').trim());
    if (pg.major && dataMajor !== pg.major) {
      throw new Error(`${dataDir} was created by PostgreSQL ${dataMajor} but the binaries are ${pg.major}: remove the folder (data is lost) or pg_upgrade it`);
    }
  } else {
    const t0 = Date.now();
    const initArgs = ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'];
    if (ephemeral) initArgs.push('--no-sync');
    const [cmd, args] = asPg(path.join(pg.bin, 'initdb'), initArgs);
    const r = runSync(cmd, args, { cwd: dir });
    fs.appendFileSync(logFile, r.stdout + r.stderr);
    if (r.status !== 0) throw new Error(`initdb failed:\n${r.stdout}${r.stderr}`);
    log('postgres', `initialised ${dataDir} (PostgreSQL ${pg.major}, ${Date.now() - t0} ms)`);
  }

  const serverArgs = (p) => {
    const a = ['-D', dataDir, '-k', runDir, '-h', '127.0.0.1', '-p', String(p), '-c', 'max_connections=200'];
    if (ephemeral) a.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
    return a;
  };

  let child;
  let chosen;
  const spawnServer = (p) => {
    // If this process dies without stopping it (SIGKILL), the postmaster gets SIGINT (fast shutdown);
    // as root the runuser in between is killed so that the postmaster notices.
    const [pgCmd, pgArgs] = withParentDeathSignal('SIGINT', path.join(pg.bin, 'postgres'), serverArgs(p));
    const [cmd, args] = isRoot ? withParentDeathSignal('SIGKILL', ...asPg(pgCmd, pgArgs)) : [pgCmd, pgArgs];
    return scope.spawn('postgres', cmd, args, {
      output: logFile, cwd: dir,
      stop: (c) => stopServer(pg, dataDir, dir, c),
      // synchronous last resort: immediate shutdown of the postmaster
      syncStop: () => {
        try { const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]); if (pid > 0) process.kill(pid, 'SIGQUIT'); } catch { /* gone */ }
      },
    });
  };
  for (let attempt = 1; ; attempt++) {
    chosen = port ? await assertPortFree(port, 'postgres') : await freePort();
    const logStart = fs.statSync(logFile).size;
    child = spawnServer(chosen);
    try {
      await waitReady(pg, runDir, chosen, child, logFile);
      break;
    } catch (e) {
      const newLog = fs.readFileSync(logFile, 'utf8').slice(logStart);
      if (child.exitInfo === null) { await stopServer(pg, dataDir, dir, child); }
      if (!port && attempt < 3 && /could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(newLog)) {
        log('postgres', `port ${chosen} was taken meanwhile, retrying with another`);
        continue;
      }
      if (/lock file .* already exists/i.test(newLog)) {
        throw new Error(`another PostgreSQL is using ${dataDir} (is another stack running on this data folder?)\n${newLog.trim()}`);
      }
      throw new Error(`${e.message}\n--- ${logFile} (tail) ---\n${newLog.split('\n').slice(-25).join('\n')}`);
    }
  }

  provision(pg, runDir, chosen, password);

  const info = {
    host: '127.0.0.1',
    port: chosen,
    database: DB.database,
    username: DB.username,
    password,
    connectionString: `Host=127.0.0.1;Port=${chosen};Database=${DB.database};Username=${DB.username};Password=${password}`,
  };
  // Fault tests restart the server under running clients (the stack's control endpoint): same port,
  // same data, the way an operator's `pg_ctl stop -m fast` / start would.
  const stop = async () => { await stopServer(pg, dataDir, dir, child); };
  const start = async () => {
    if (!child.exitInfo) return;
    child = spawnServer(chosen);
    await waitReady(pg, runDir, chosen, child, logFile);
  };
  return { info, dataDir, socketDir: runDir, logFile, major: pg.major, get child() { return child; }, stop, start };
}

async function waitReady(pg, runDir, port, child, logFile) {
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitInfo) throw new Error(`postgres exited during startup (${child.exitInfo.signal || `code ${child.exitInfo.code}`})`);
    const r = runSync(path.join(pg.bin, 'pg_isready'), ['-q', '-h', runDir, '-p', String(port), '-d', 'postgres', '-U', 'postgres']);
    if (r.status === 0) return;
    if (Date.now() > deadline) throw new Error(`postgres not ready after 30 s (see ${logFile})`);
    await sleep(80);
  }
}

async function stopServer(pg, dataDir, dir, child) {
  if (child.exitInfo) return;
  if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
    const [cmd, args] = asPg(path.join(pg.bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '20']);
    const r = runSync(cmd, args, { cwd: dir });
    if (r.status !== 0 && !child.exitInfo) log('postgres', `pg_ctl stop: ${(r.stderr || r.stdout).trim()}`);
  } else {
    // still starting (no pid file yet): SIGINT is the postmaster's fast shutdown
    try { process.kill(-child.pid, 'SIGINT'); } catch { /* gone */ }
  }
  const exited = await Promise.race([child.exited.then(() => true), sleep(10000).then(() => false)]);
  if (!exited) {
    log('postgres', 'still running after pg_ctl stop: SIGQUIT, then SIGKILL');
    try { process.kill(-child.pid, 'SIGQUIT'); } catch { /* gone */ }
    if (!(await Promise.race([child.exited.then(() => true), sleep(3000).then(() => false)]))) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      await Promise.race([child.exited, sleep(2000)]);
    }
  }
}

/**
 * Creates role + database `streamforge` if absent (superuser over the unix socket) and sets the role's password on
 * every start, so a data folder made when the password was a fixed one moves to its own.
 */
function provision(pg, runDir, port, password) {
  const sql = `
SELECT format('CREATE ROLE %I LOGIN CREATEDB', '${DB.username}')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DB.username}')\\gexec
SELECT format('ALTER ROLE %I PASSWORD %L', '${DB.username}', :'password')\\gexec
SELECT format('CREATE DATABASE %I OWNER %I', '${DB.database}', '${DB.username}')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${DB.database}')\\gexec
`;
  // The password goes in as a psql variable (quoted by :'password'), never spliced into the SQL text.
  const r = spawnSync(path.join(pg.bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `password=${password}`, '-h', runDir, '-p', String(port), '-U', 'postgres', '-d', 'postgres'], {
    input: sql, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`creating the ${DB.database} role/database failed: ${r.stderr || r.error}`);
}
