// Local S3 server (@20minutes/s3rver) on 127.0.0.1, bucket configured for browser uploads.
import fs from 'node:fs';
import os from 'node:os';
import cluster from 'node:cluster';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { repoRoot, log } from './util.mjs';
import { installS3rverPathFix } from './s3rver-path-fix.mjs';
import { installS3rverQueryEncodingFix } from './s3rver-query-encoding-fix.mjs';
import { installS3rverMultipartComplete } from './s3rver-multipart.mjs';
import { installS3rverCopySourceFix } from './s3rver-copy-source-fix.mjs';
import { anonymousPolicy, installS3rverKeys, uploadKeyPolicy } from './s3rver-keys.mjs';
import { multipartListAndAbort } from './s3rver-list-parts.mjs';

const require = createRequire(import.meta.url);

export const S3_DEFAULTS = { bucket: 'streamforge', region: 'us-east-1' };

export const CORS_XML = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>DELETE</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>
`;

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES ('des'), which Node 17+
 * (OpenSSL 3) refuses without --openssl-legacy-provider: any listing that is truncated answers 500.
 * Single DES with key K is exactly 2-key triple DES (EDE) with key K||K, which OpenSSL 3 still has,
 * so map 'des' to 'des-ede-cbc' (same bytes out). Nothing else in this process uses 'des'.
 */
function patchLegacyDes() {
  try { crypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8)); return; } catch { /* unsupported: patch */ }
  const wrap = (original) => function (algorithm, key, iv, options) {
    if (typeof algorithm === 'string' && algorithm.toLowerCase() === 'des' && key?.length === 8) {
      return original.call(this, 'des-ede-cbc', Buffer.concat([Buffer.from(key), Buffer.from(key)]), iv, options);
    }
    return original.call(this, algorithm, key, iv, options);
  };
  crypto.createCipheriv = wrap(crypto.createCipheriv);
  crypto.createDecipheriv = wrap(crypto.createDecipheriv);
}

function loadS3rver() {
  try { require.resolve('@20minutes/s3rver'); } catch (e) {
    throw new Error(`@20minutes/s3rver is not installed (${e.code || e.message}): run "npm install" in ${repoRoot}`);
  }
  patchLegacyDes();
  installS3rverQueryEncodingFix(); // presigned query values encoded as SigV4 says (response-content-disposition)
  installS3rverPathFix(); // bucket-level requests signed as "/bucket/" (the AWS .NET SDK's ListObjects)
  installS3rverMultipartComplete(); // S3's checks and ETag, without re-hashing the whole object
  installS3rverCopySourceFix(); // CopyObject with the URL-encoded x-amz-copy-source SDKs send (the media move)
  return require('@20minutes/s3rver');
}

/**
 * One s3rver (not yet listening) with the bucket config, preflight headers, the stack's key pairs (the upload pair
 * held to its policy) and optional request log.
 */
function createS3rver({ dir, port, bucket, configure, keys }) {
  const S3rver = loadS3rver();
  installS3rverKeys(keys);
  const server = new S3rver({
    address: '127.0.0.1',
    port: Number(port) || 0,
    directory: dir,
    silent: true,
    vhostBuckets: false, // path-style only: a Host like "myhost:4568" must not be taken for a bucket
    configureBuckets: configure ? [{ name: bucket, configs: [Buffer.from(CORS_XML)] }] : [],
  });
  // S3 answers a successful CORS preflight with the rule's Access-Control-Expose-Headers and
  // Access-Control-Max-Age too;
  // s3rver only sets it on the actual request. Add it for preflights, from the bucket's own rule.
  server.middleware.unshift(async (ctx, next) => {
    await next();
    if (ctx.method !== 'OPTIONS' || ctx.status !== 200 || !ctx.response.get('Access-Control-Allow-Origin')) return;
    const name = decodeURIComponent(ctx.path.split('/')[1] || '');
    if (!name) return;
    const config = await ctx.store.getSubresource(name, undefined, 'cors').catch(() => null);
    const rule = config?.matchRule(ctx.get('origin'), ctx.get('access-control-request-method') || 'GET');
    if (rule?.exposeHeaders?.length) ctx.set('Access-Control-Expose-Headers', rule.exposeHeaders.join(', '));
    if (rule?.maxAgeSeconds != null) ctx.set('Access-Control-Max-Age', String(rule.maxAgeSeconds));
  });
  // Before the router, after error rendering: a refusal reads as S3's own 403 AccessDenied.
  server.middleware.splice(server.middleware.length - 1, 0, uploadKeyPolicy({ bucket, uploadAccessKey: keys.uploadAccessKey }));
  // Unsigned requests read objects and nothing else: no listing, no writes (as the production bucket policy).
  server.middleware.splice(server.middleware.length - 1, 0, anonymousPolicy({ bucket }));
  // ListParts and AbortMultipartUpload, which s3rver lacks (after the key policy: the upload key may do neither)
  server.middleware.splice(server.middleware.length - 1, 0, multipartListAndAbort());
  if (process.env.STREAMFORGE_S3_DEBUG) {
    // request log on stderr (s3rver's own logger writes to stdout, which is reserved for STACK_READY)
    server.middleware.unshift(async (ctx, next) => {
      try { await next(); log('s3', `${ctx.method} ${ctx.url} -> ${ctx.status}`); } catch (e) {
        log('s3', `${ctx.method} ${ctx.url} -> ${e.status || 500} ${e.code || ''} ${e.message} ${JSON.stringify(e.detail ?? {})} headers=${JSON.stringify(ctx.headers)}`);
        throw e;
      }
    });
  }
  return server;
}

/**
 * How many s3rver processes serve the local S3 port (LOCAL_S3_PROCESSES, default 2 when the machine has 2 cores
 * or more). s3rver handles every request in its one Node thread; a browser sending 4 parts at once kept that
 * thread busy while the other core idled. Its store is files only (no state in memory), so processes can share
 * one folder; the first one provisions the bucket before the others start.
 */
export function s3ProcessCount(env = process.env) {
  const configured = Number.parseInt(env.LOCAL_S3_PROCESSES ?? '', 10);
  if (Number.isFinite(configured) && configured >= 1) return Math.min(configured, 16);
  return Math.min(2, os.availableParallelism());
}

/**
 * Starts s3rver on 127.0.0.1:<port> (0 = any free port) storing objects in `dir`: in this process when one
 * process is asked for, else as a cluster of child processes sharing the port. `keys` = { accessKey, secretKey,
 * uploadAccessKey, uploadSecretKey }: the only key pairs it accepts (s3rver's built-in S3RVER pair is revoked).
 * Returns { info: {endpoint, bucket, accessKey, secretKey, uploadAccessKey, uploadSecretKey, region}, port }.
 */
export async function startS3({ scope, dir, keys, port = 0, bucket = S3_DEFAULTS.bucket, processes = s3ProcessCount() }) {
  fs.mkdirSync(dir, { recursive: true });
  const run = (p) => (processes > 1
    ? startS3Cluster({ scope, dir, port: p, bucket, processes, keys })
    : startS3InProcess({ scope, dir, port: p, bucket, keys }));
  let current = await run(port);
  const boundPort = current.port;
  scope.defer('s3', () => current?.stop());
  const endpoint = `http://127.0.0.1:${boundPort}`;
  log('s3', `s3rver on ${endpoint} (${processes} process${processes > 1 ? 'es' : ''}), bucket "${bucket}", data in ${dir}`);
  return {
    port: boundPort,
    info: { endpoint, bucket, ...keys, region: S3_DEFAULTS.region },
    // A storage outage for fault tests: the port refuses connections until start() serves the same folder on it again.
    stop: async () => { const c = current; current = null; await c?.stop(); },
    // Also after a crash (its processes killed from outside): whatever is not serving is started again.
    start: async () => { if (current?.alive()) return; await current?.stop(); current = await run(boundPort); },
  };
}

async function startS3InProcess({ scope, dir, port, bucket, keys }) {
  const server = createS3rver({ dir, port, bucket, configure: true, keys });
  let address;
  try {
    address = await server.run();
  } catch (e) {
    throw new Error(`s3rver could not listen on 127.0.0.1:${port}: ${e.code || e.message}`);
  }
  const stop = async () => {
    const http = server.httpServer;
    if (!http?.listening) return;
    const closed = new Promise((r) => http.close(() => r()));
    http.closeIdleConnections?.();
    setTimeout(() => http.closeAllConnections?.(), 1000).unref();
    await closed;
  };
  return { port: address.port, stop, alive: () => !!server.httpServer?.listening };
}

/** Node's cluster: this process holds the socket and hands connections to the s3rver children in turn. */
async function startS3Cluster({ scope, dir, port, bucket, processes, keys }) {
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./s3-process.mjs', import.meta.url)), silent: false });
  const children = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await Promise.all(children.map((child) => new Promise((resolve) => {
      if (child.isDead()) { resolve(); return; }
      child.once('exit', resolve);
      child.kill('SIGTERM');
      setTimeout(() => { if (!child.isDead()) child.process.kill('SIGKILL'); }, 3000).unref();
    })));
  };
  // Children still starting when the stack shuts down are stopped too.
  const guard = async (p) => { try { return await p; } catch (e) { await stop(); throw e; } };
  const fork = (configure) => new Promise((resolve, reject) => {
    // Every child listens on the same `port` argument (0 included): the cluster hands them one shared socket.
    const child = cluster.fork({ STREAMFORGE_S3_PROCESS: JSON.stringify({ dir, port: Number(port) || 0, bucket, configure, keys }) });
    children.push(child);
    child.once('message', (m) => (m?.error ? reject(new Error(`s3rver could not listen on 127.0.0.1:${port}: ${m.error}`)) : resolve(m.port)));
    child.once('exit', (code, signal) => reject(new Error(`s3rver process exited while starting (${signal ?? code})`)));
  });
  const first = await guard(fork(true));
  const others = await guard(Promise.all(Array.from({ length: processes - 1 }, () => fork(false))));
  if (others.some((p) => p !== first)) { await stop(); throw new Error(`s3rver processes listen on different ports: ${[first, ...others].join(', ')}`); }
  for (const child of children) {
    child.on('exit', (code, signal) => { if (!scope.closing && !stopping) log('s3', `an s3rver process exited unexpectedly (${signal ?? code})`); });
  }
  return { port: first, stop, alive: () => children.some((c) => !c.isDead()) };
}

/** Entry of one clustered s3rver process (scripts/lib/s3-process.mjs). */
export async function runS3Process() {
  const options = JSON.parse(process.env.STREAMFORGE_S3_PROCESS);
  const server = createS3rver(options);
  process.on('disconnect', () => process.exit(0)); // the launcher is gone
  process.on('SIGTERM', () => {
    const http = server.httpServer;
    if (!http?.listening) process.exit(0);
    http.close(() => process.exit(0));
    http.closeIdleConnections?.();
    setTimeout(() => process.exit(0), 1000).unref();
  });
  try {
    const address = await server.run();
    process.send({ port: address.port });
  } catch (e) {
    process.send({ error: e.code || e.message });
    process.exit(1);
  }
}
