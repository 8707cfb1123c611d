#!/usr/bin/env node
// `npm start`: checks/installs prerequisites, then runs the whole stack with persistent data in .data/
// (PostgreSQL, S3 server, nginx CDN, API serving the SPA, worker) until Ctrl-C. See scripts/README.md.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, log, loadDotEnv } from './lib/util.mjs';
import { Scope, installLifetime } from './lib/procs.mjs';
import { startStack, DEV_ADMIN } from './lib/stack.mjs';
import { ensurePrerequisites } from './lib/prereqs.mjs';
import { DEFAULT_DATA_DIR } from './lib/datadir.mjs';

const { values } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    'no-build-web': { type: 'boolean', default: false },
    workers: { type: 'string' },
    data: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
  strict: true,
});

loadDotEnv();

// 1. prerequisites (Node, .NET, Debian packages, npm packages)
const pkgs = ensurePrerequisites({ withNginx: true });
if (pkgs.skippedOptional.length) log('setup', `nginx is not installed, so there is no CDN (optional): ${pkgs.command}`);

// 3. the stack
const portEnv = (name) => (process.env[name] ? Number(process.env[name]) : undefined);
const workers = values.workers !== undefined ? Number(values.workers) : portEnv('WORKERS') ?? 1;
const scope = new Scope();
installLifetime({
  onShutdown: async (_code, reason) => {
    log('stack', `${reason}: stopping everything`);
    await scope.close();
    log('stack', 'stopped; run "npm start" again to continue with the same data');
  },
});

let stack;
try {
  stack = await startStack({
    scope,
    ephemeral: false,
    dataDir: values.data ?? process.env.STREAMFORGE_DATA ?? DEFAULT_DATA_DIR,
    api: true,
    workers,
    buildWeb: !values['no-build-web'],
    noBuild: values['no-build'],
    quiet: values.quiet,
    apiPort: portEnv('PORT') ?? 8080,
    pgPort: portEnv('PG_PORT'),
    s3Port: portEnv('S3_PORT'),
    cdnPort: portEnv('CDN_PORT'),
  });
} catch (e) {
  if (!scope.closing) {
    log('stack', `failed to start: ${e.message}`);
    await scope.close();
    process.exit(1);
  }
  process.exit(0);
}

// 4. banner
const { info, env } = stack;
const devAdmin = env.Auth__AdminEmail === DEV_ADMIN.email && env.Auth__AdminPassword === DEV_ADMIN.password;
const pg = info.postgres;
const rel = (p) => (p.startsWith(repoRoot) ? path.relative(repoRoot, p) || '.' : p);
console.log(`
  StreamForge is running
  ──────────────────────────────────────────────────────────────
  App          ${info.apiUrl}/
  Swagger      ${info.apiUrl}/docs
  CDN          ${info.cdnUrl ?? 'none (nginx not installed; media is served from the S3 endpoint)'}
  S3 endpoint  ${info.s3.endpoint}  bucket ${info.s3.bucket}  key ${info.s3.accessKey} / ${info.s3.secretKey}
  Postgres     ${pg.connectionString}
               psql postgresql://${pg.username}:${pg.password}@${pg.host}:${pg.port}/${pg.database}
  Admin        ${env.Auth__AdminEmail} / ${env.Auth__AdminPassword}${devAdmin ? '\n               (development default: set ADMIN_EMAIL and ADMIN_PASSWORD in .env for anything else)' : ''}
               (seeded on first run; changing them later does not change an existing account)
  Mail         ${info.outbox.url ? `${info.outbox.url}  (files in ${rel(info.outbox.dir)})` : `sent by SMTP (Email__Mode=${env.Email__Mode})`}
  Data         ${rel(info.dataDir)}${values.quiet ? `  (logs in ${rel(path.join(info.dataDir, 'logs'))})` : ''}
  ──────────────────────────────────────────────────────────────
  Ctrl-C stops everything; "npm start" again reuses the data.
`);
