// Local S3 server (@20minutes/s3rver) in-process on 127.0.0.1, bucket configured for browser uploads.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { repoRoot, log } from './util.mjs';
import { installS3rverPathFix } from './s3rver-path-fix.mjs';

const require = createRequire(import.meta.url);

export const S3_DEFAULTS = { bucket: 'streamforge', accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1' };

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
  installS3rverPathFix(); // bucket-level requests signed as "/bucket/" (the AWS .NET SDK's ListObjects)
  return require('@20minutes/s3rver');
}

/**
 * Starts s3rver on 127.0.0.1:<port> (0 = any free port) storing objects in `dir`.
 * Returns { info: {endpoint, bucket, accessKey, secretKey, region}, port }.
 */
export async function startS3({ scope, dir, port = 0, bucket = S3_DEFAULTS.bucket }) {
  const S3rver = loadS3rver();
  fs.mkdirSync(dir, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: Number(port) || 0,
    directory: dir,
    silent: true,
    vhostBuckets: false, // path-style only: a Host like "myhost:4568" must not be taken for a bucket
    configureBuckets: [{ name: bucket, configs: [Buffer.from(CORS_XML)] }],
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
  if (process.env.STREAMFORGE_S3_DEBUG) {
    // request log on stderr (s3rver's own logger writes to stdout, which is reserved for STACK_READY)
    server.middleware.unshift(async (ctx, next) => {
      try { await next(); log('s3', `${ctx.method} ${ctx.url} -> ${ctx.status}`); } catch (e) {
        log('s3', `${ctx.method} ${ctx.url} -> ${e.status || 500} ${e.code || ''} ${e.message} ${JSON.stringify(e.detail ?? {})} headers=${JSON.stringify(ctx.headers)}`);
        throw e;
      }
    });
  }
  let address;
  try {
    address = await server.run();
  } catch (e) {
    throw new Error(`s3rver could not listen on 127.0.0.1:${port}: ${e.code || e.message}`);
  }
  scope.defer('s3', async () => {
    const http = server.httpServer;
    if (!http?.listening) return;
    const closed = new Promise((r) => http.close(() => r()));
    http.closeIdleConnections?.();
    setTimeout(() => http.closeAllConnections?.(), 1000).unref();
    await closed;
  });
  const endpoint = `http://127.0.0.1:${address.port}`;
  log('s3', `s3rver on ${endpoint}, bucket "${bucket}", data in ${dir}`);
  return {
    port: address.port,
    info: { endpoint, bucket, accessKey: S3_DEFAULTS.accessKey, secretKey: S3_DEFAULTS.secretKey, region: S3_DEFAULTS.region },
  };
}
