// The one launcher: PostgreSQL + S3 server + CDN (+ API and workers), used by `npm start`
// (scripts/start.mjs), the .NET test fixtures and the browser tests (via scripts/stack.mjs).
import http from 'node:http';
import path from 'node:path';
import { log } from './util.mjs';
import { Scope, killGroup } from './procs.mjs';
import { pickPort } from './ports.mjs';
import { startPostgres } from './postgres.mjs';
import { startS3, S3_DEFAULTS } from './s3.mjs';
import { startCdn } from './cdn.mjs';
import { buildApps, startApi, startWorkers, releaseInheritedBuildLock } from './dotnet.mjs';
import { ensureWebBuilt, WEB_DIST } from './web.mjs';
import { makeEphemeralDir, makePersistentDir, jwtSigningKey, localCredentials, DEFAULT_DATA_DIR } from './datadir.mjs';

/** Fixed ports for persistent stacks (stored URLs stay valid across restarts); ephemeral ones use free ports. */
export const PERSISTENT_PORTS = { postgres: 55432, s3: 4568, cdn: 8081 };
export const DEV_ADMIN = { email: 'admin@streamforge.local', password: 'streamforge-admin' };

async function settle(promises) {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => r.value);
}

/**
 * Starts the stack. Options: ephemeral, dataDir, api, workers, buildWeb, noBuild, quiet,
 * apiPort, pgPort, s3Port, cdnPort, scope (a Scope to register children/cleanups with).
 * Returns { info (the STACK_READY object), env, scope, baseDir, stop() }.
 * On failure the caller should `await scope.close()`.
 */
export async function startStack(opts = {}) {
  const scope = opts.scope ?? new Scope();
  const ephemeral = !!opts.ephemeral;
  releaseInheritedBuildLock();
  const t0 = Date.now();
  const baseDir = ephemeral ? makeEphemeralDir(scope) : makePersistentDir(opts.dataDir ?? DEFAULT_DATA_DIR);
  const fixed = (explicit, key) => explicit ?? (ephemeral ? null : PERSISTENT_PORTS[key]);
  log('stack', `${ephemeral ? 'ephemeral' : 'persistent'} data in ${baseDir}`);

  const credentials = localCredentials(baseDir, ephemeral);
  const apiPortP = opts.api ? pickPort(opts.apiPort, 'api') : Promise.resolve(null);
  const pgP = startPostgres({ scope, dir: path.join(baseDir, 'postgres'), password: credentials.databasePassword, port: fixed(opts.pgPort, 'postgres'), ephemeral });
  const storageP = (async () => {
    const s3 = await startS3({ scope, dir: path.join(baseDir, 's3'), keys: credentials.s3, port: fixed(opts.s3Port, 's3') ?? 0 });
    // The CDN fetches private media from the API's origin route, so the API's port is chosen before either starts.
    const cdn = await startCdn({
      scope, dir: path.join(baseDir, 'cdn'), port: fixed(opts.cdnPort, 'cdn'), s3Port: s3.port, bucket: s3.info.bucket,
      apiPort: await apiPortP, tokenSecret: credentials.playbackTokenSecret,
    });
    return { s3, cdn };
  })();
  const workerCount = opts.workers ?? 1;
  const buildP = opts.api ? (async () => {
    const [built] = await settle([
      opts.noBuild ? { workerBuilt: true } : buildApps({ scope, worker: workerCount > 0 }),
      ensureWebBuilt({ scope, force: !!opts.buildWeb }),
    ]);
    return built;
  })() : null;

  const [pg, { s3, cdn }, built] = await settle([pgP, storageP, buildP].filter(Boolean));

  const env = {
    ConnectionStrings__Postgres: pg.info.connectionString,
    Storage__ServiceUrl: s3.info.endpoint,
    Storage__Bucket: s3.info.bucket,
    Storage__AccessKey: s3.info.accessKey,
    Storage__SecretKey: s3.info.secretKey,
    // Presigned upload URLs are signed with a pair the local S3 server lets only PUT under raw/ (s3rver-keys.mjs).
    Storage__UploadAccessKey: s3.info.uploadAccessKey,
    Storage__UploadSecretKey: s3.info.uploadSecretKey,
    Storage__Region: s3.info.region,
    Storage__PublicBaseUrl: `${s3.info.endpoint}/${s3.info.bucket}`,
    ...(cdn.cdnUrl ? { CDN_URL: cdn.cdnUrl } : {}),
    // Signs playback tokens of private media; the CDN's secure_link check was given the same value.
    PLAYBACK_TOKEN_SECRET: credentials.playbackTokenSecret,
    Auth__JwtSigningKey: (!ephemeral && process.env.Auth__JwtSigningKey) || jwtSigningKey(baseDir, ephemeral),
    Auth__AdminEmail: process.env.ADMIN_EMAIL || DEV_ADMIN.email,
    Auth__AdminPassword: process.env.ADMIN_PASSWORD || DEV_ADMIN.password,
    Web__DistPath: WEB_DIST,
    // Mails (password reset, confirmation) land in a folder of the stack, served at /dev/outbox; a developer
    // who wants to try a real relay sets Email__Mode=Smtp and Email__Smtp__* in .env.
    Email__Mode: process.env.Email__Mode || 'Outbox',
    Email__OutboxPath: process.env.Email__OutboxPath || path.join(baseDir, 'outbox'),
    // Webhook receivers in development (and the tests' receiver) listen on 127.0.0.1, which production refuses.
    Webhooks__AllowPrivateTargets: process.env.Webhooks__AllowPrivateTargets || 'true',
    // Imports from a URL may fetch from 127.0.0.1 here (a file server of the developer or the tests); production refuses.
    Imports__AllowPrivateTargets: process.env.Imports__AllowPrivateTargets || 'true',
    // The local stack is a development environment (plain HTTP on loopback, the development admin): in
    // Production the API insists on HTTPS-only cookies and refuses the development admin password.
    ASPNETCORE_ENVIRONMENT: process.env.ASPNETCORE_ENVIRONMENT || 'Development',
    DOTNET_ENVIRONMENT: process.env.DOTNET_ENVIRONMENT || 'Development',
  };

  let apiUrl = null;
  let api = null;
  const logDir = path.join(baseDir, 'logs');
  if (opts.api) {
    const port = await apiPortP;
    // Links in mails point at the app as this stack serves it.
    env.App__PublicUrl = process.env.App__PublicUrl || `http://127.0.0.1:${port}`;
    api = await startApi({ scope, env, port, logDir, quiet: !!opts.quiet });
    ({ apiUrl } = api);
    // after the API is ready, so that only the API applies migrations on a fresh database
    if (built?.workerBuilt) startWorkers({ scope, env, count: workerCount, logDir, quiet: !!opts.quiet });
  }

  const controlUrl = opts.control ? await startControl({
    scope,
    'postgres/stop': () => pg.stop(),
    'postgres/start': () => pg.start(),
    'postgres/restart': async () => { await pg.stop(); await pg.start(); },
    's3/stop': () => s3.stop(),
    's3/start': () => s3.start(),
    // A crash, not a shutdown: the API gets no chance to finish anything.
    'api/kill': async () => {
      if (!api) throw new Error('this stack has no API (--api)');
      if (killGroup(api.child, 'SIGKILL')) await api.child.exited;
    },
    'api/start': async () => {
      if (!api) throw new Error('this stack has no API (--api)');
      if (!api.child.exitInfo) return;
      api = await startApi({ scope, env, port: Number(new URL(api.apiUrl).port), logDir, quiet: !!opts.quiet });
    },
  }) : null;

  const info = {
    postgres: pg.info,
    s3: { ...s3.info, bucket: s3.info.bucket || S3_DEFAULTS.bucket },
    cdnUrl: cdn.cdnUrl,
    apiUrl,
    outbox: { dir: env.Email__OutboxPath, url: apiUrl && env.Email__Mode === 'Outbox' && env.ASPNETCORE_ENVIRONMENT === 'Development' ? `${apiUrl}/dev/outbox` : null },
    env,
    dataDir: baseDir,
    ...(controlUrl ? { controlUrl } : {}),
  };
  log('stack', `ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { info, env, scope, baseDir, stop: () => scope.close() };
}

/**
 * The fault tests' handle on the stack's own processes (--control): `POST <controlUrl>/<action>` runs one
 * action (postgres/stop|start|restart, s3/stop|start, api/kill|start) and answers 200 once it is done,
 * 500 with the reason otherwise. Loopback only; actions run one at a time. The launcher keeps owning every
 * process it restarts, so closing the stack still stops (and cleans up after) all of them.
 */
async function startControl({ scope, ...actions }) {
  let queue = Promise.resolve();
  const server = http.createServer((req, res) => {
    const action = (req.url ?? '').replace(/^\/+|\/+$/g, '');
    const reply = (status, text) => { res.writeHead(status, { 'Content-Type': 'text/plain' }); res.end(text); };
    if (req.method !== 'POST' || !actions[action]) { reply(404, `POST one of: ${Object.keys(actions).join(', ')}\n`); return; }
    req.resume();
    queue = queue.then(async () => {
      const t0 = Date.now();
      try {
        await actions[action]();
        log('control', `${action} done in ${Date.now() - t0} ms`);
        reply(200, `${action} done\n`);
      } catch (e) {
        log('control', `${action} failed: ${e.message}`);
        reply(500, `${action} failed: ${e.message}\n`);
      }
    });
  });
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  scope.defer('control', () => new Promise((r) => { server.close(() => r()); server.closeAllConnections?.(); }));
  return `http://127.0.0.1:${server.address().port}`;
}
