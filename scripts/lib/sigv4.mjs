// Minimal AWS Signature V4 for S3 (header auth and presigned URLs), for smoke checks and test helpers.
import crypto from 'node:crypto';

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const encPath = (p) => p.split('/').map(enc).join('/');

function amzDate(now = new Date()) {
  const iso = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { amz: iso, day: iso.slice(0, 8) };
}

function signingKey(secret, day, region) {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
}

function canonicalQuery(params) {
  return [...params.entries()].map(([k, v]) => [enc(k), enc(v)]).sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
}

/**
 * Signs a request with the Authorization header. Returns {url, headers} for fetch().
 * creds = {endpoint, accessKey, secretKey, region}; key = "bucket/object/key".
 */
export function signRequest({ endpoint, accessKey, secretKey, region = 'us-east-1' }, method, key, { body = '', headers = {}, query = {} } = {}) {
  const url = new URL(`${endpoint.replace(/\/$/, '')}/${encPath(key)}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const { amz, day } = amzDate();
  const payloadHash = sha256(body);
  const all = { ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v).trim()])), host: url.host, 'x-amz-date': amz, 'x-amz-content-sha256': payloadHash };
  const names = Object.keys(all).sort();
  const canonical = [method, url.pathname, canonicalQuery(url.searchParams), names.map((n) => `${n}:${all[n]}\n`).join(''), names.join(';'), payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amz, scope, sha256(canonical)].join('\n');
  const signature = hmac(signingKey(secretKey, day, region), toSign).toString('hex');
  const out = { ...all, authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
  delete out.host;
  return { url: url.toString(), headers: out };
}

/** A presigned URL (query auth, UNSIGNED-PAYLOAD) valid for `expiresIn` seconds. */
export function presignUrl({ endpoint, accessKey, secretKey, region = 'us-east-1' }, method, key, expiresIn = 900, query = {}) {
  const url = new URL(`${endpoint.replace(/\/$/, '')}/${encPath(key)}`);
  const { amz, day } = amzDate();
  const scope = `${day}/${region}/s3/aws4_request`;
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  url.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
  url.searchParams.set('X-Amz-Credential', `${accessKey}/${scope}`);
  url.searchParams.set('X-Amz-Date', amz);
  url.searchParams.set('X-Amz-Expires', String(expiresIn));
  url.searchParams.set('X-Amz-SignedHeaders', 'host');
  const canonical = [method, url.pathname, canonicalQuery(url.searchParams), `host:${url.host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amz, scope, sha256(canonical)].join('\n');
  url.searchParams.set('X-Amz-Signature', hmac(signingKey(secretKey, day, region), toSign).toString('hex'));
  return url.toString();
}
