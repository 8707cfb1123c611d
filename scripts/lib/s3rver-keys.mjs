// The local S3 server's credentials. s3rver keeps its key pairs in one registry (lib/models/account.js:
// AWSAccount.registry, access key id -> account, secret in account.accessKeys) and accepts any registered pair
// with a valid signature; it ships one built-in pair, S3RVER/S3RVER, and has no permissions of any kind (no IAM, no
// bucket policy: every valid key may do everything, and unsigned requests are served anonymously).
// So the stack registers its own random pairs, revokes the built-in one, and holds the upload pair to the policy
// production storage gives it (deploy/storage/upload-policy.json): s3:PutObject under raw/ only. Unsigned requests
// get what the anonymous policy leaves them (deploy/storage/public-read-policy.json) as far as the stack allows.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Replaces s3rver's built-in S3RVER pair with `keys` ({ accessKey, secretKey, uploadAccessKey, uploadSecretKey }). */
export function installS3rverKeys(keys) {
  if (!keys?.accessKey || !keys.secretKey || !keys.uploadAccessKey || !keys.uploadSecretKey) {
    throw new Error('the local S3 server needs its key pairs (accessKey, secretKey, uploadAccessKey, uploadSecretKey)');
  }
  const AWSAccount = require('@20minutes/s3rver/lib/models/account');
  const account = AWSAccount.DUMMY_ACCOUNT;
  account.revokeAccessKey('S3RVER');
  account.createKeyPair(keys.accessKey, keys.secretKey);
  account.createKeyPair(keys.uploadAccessKey, keys.uploadSecretKey);
}

/** The access key id a request claims (SigV4/V2, header or query), or null for an unsigned one. */
export function claimedAccessKey(ctx) {
  const credential = ctx.query['X-Amz-Credential'];
  if (typeof credential === 'string') return credential.split('/')[0];
  if (typeof ctx.query.AWSAccessKeyId === 'string') return ctx.query.AWSAccessKeyId;
  const auth = ctx.get('authorization');
  const v4 = /Credential=([^/,\s]+)\//.exec(auth);
  if (v4) return v4[1];
  const v2 = /^AWS ([^:\s]+):/.exec(auth);
  return v2 ? v2[1] : null;
}

/**
 * Koa middleware: a request claiming the upload key gets what s3:PutObject on `<bucket>/raw/*` grants on S3/MinIO:
 * PUT an object or a part, and start or complete a multipart upload there. No GET/HEAD/DELETE, no listing, no
 * server-side copy (x-amz-copy-source: S3 would also need s3:GetObject on the source). Checked on the claimed key
 * before s3rver verifies the signature, which it still does afterwards for what passes here.
 */
export function uploadKeyPolicy({ bucket, uploadAccessKey }) {
  const S3Error = require('@20minutes/s3rver/lib/models/error');
  const prefix = `/${bucket}/raw/`;
  return async function uploadKeyPolicyMiddleware(ctx, next) {
    if (ctx.method === 'OPTIONS' || claimedAccessKey(ctx) !== uploadAccessKey) return next();
    let path;
    try { path = decodeURIComponent(ctx.path); } catch { path = ''; }
    const segments = path.split('/');
    const query = Object.keys(ctx.query).filter((k) => !k.startsWith('X-Amz-'));
    const has = (...keys) => query.length === keys.length && keys.every((k) => query.includes(k));
    const operationOk = ctx.method === 'PUT'
      ? has() || has('partNumber', 'uploadId')
      : ctx.method === 'POST' && (has('uploads') || has('uploadId'));
    const allowed = operationOk
      && path.startsWith(prefix) && path.length > prefix.length
      && !segments.includes('..') && !segments.includes('.')
      // s3rver takes x-amz-* query parameters as headers, in any case
      && !ctx.get('x-amz-copy-source') && !Object.keys(ctx.query).some((k) => k.toLowerCase() === 'x-amz-copy-source');
    if (!allowed) throw new S3Error('AccessDenied', 'Access Denied (the upload key may only PutObject under raw/)');
    return next();
  };
}

/**
 * Koa middleware for unsigned requests: production gives anonymous readers GetObject on `media/*` and nothing else
 * (deploy/storage/public-read-policy.json). The local stack keeps anonymous reads of every object but private media
 * (its tests compare raw sources byte for byte), and like production it refuses reads under `private/`, listing (of the bucket, of buckets, of a
 * multipart upload's parts), bucket subresources and every write or delete.
 */
export function anonymousPolicy({ bucket }) {
  const S3Error = require('@20minutes/s3rver/lib/models/error');
  const prefix = `/${bucket}/`;
  const subresources = ['uploadId', 'uploads', 'acl', 'policy', 'cors', 'tagging', 'versions', 'versionId', 'list-type', 'location'];
  return async function anonymousPolicyMiddleware(ctx, next) {
    if (ctx.method === 'OPTIONS' || claimedAccessKey(ctx) !== null) return next();
    let path;
    try { path = decodeURIComponent(ctx.path); } catch { path = ''; }
    // private/ holds private videos' media: only the API (signed) reads it, and viewers get it through the CDN or
    // the API's origin route with a playback token. raw/ stays readable here: tests compare sources with it.
    const allowed = (ctx.method === 'GET' || ctx.method === 'HEAD')
      && path.startsWith(prefix) && path.length > prefix.length
      && !path.startsWith(`${prefix}private/`) && !path.split('/').includes('..')
      && !Object.keys(ctx.query).some((k) => subresources.includes(k));
    if (!allowed) throw new S3Error('AccessDenied', 'Access Denied (anonymous requests may only read objects)');
    return next();
  };
}
