#!/usr/bin/env node
// Smoke check of the launcher: starts stack.mjs (as the test fixtures do), checks PostgreSQL, the S3
// server (SDK PUT/GET, presigned URLs, CORS), the CDN (MISS then HIT), then closes stdin and checks that no
// process or folder is left. Usage:
// (CHECK_STACK_LOG=/path/prefix keeps each stack's stderr in /path/prefix.<tag>)
//   node scripts/check-stack.mjs [--parallel N] [--persistent DIR] [--stop stdin|sigterm|sigint] [-- extra stack.mjs args]
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { sleep } from './lib/util.mjs';
import { findPgBin } from './lib/postgres.mjs';
import { launchStack } from './lib/stack-client.mjs';
import { presign, s3Client } from './lib/s3-client.mjs';

const { values, positionals } = parseArgs({
  options: { parallel: { type: 'string', default: '1' }, persistent: { type: 'string' }, stop: { type: 'string', default: 'stdin' } },
  allowPositionals: true,
});

function startStack(tag, args) {
  const logFile = process.env.CHECK_STACK_LOG ? `${process.env.CHECK_STACK_LOG}.${tag}` : undefined;
  // The stop is what this script checks, so the library's own cleanup must not do it first.
  return launchStack({ args, logFile, cleanup: false });
}

const results = [];
const RUN = Date.now().toString(36);
function check(tag, name, ok, detail = '') {
  results.push({ tag, name, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} [${tag}] ${name}${detail ? ` — ${detail}` : ''}`);
}

async function exercise(tag, info, { persistentMarker } = {}) {
  // PostgreSQL: the connection string's credentials work over TCP
  const pg = findPgBin();
  const { host, port, username, password, database } = info.postgres;
  const psql = (sql) => execFileSync(path.join(pg.bin, 'psql'), ['-X', '-At', '-h', host, '-p', String(port), '-U', username, '-d', database, '-c', sql], { env: { ...process.env, PGPASSWORD: password }, encoding: 'utf8' }).trim();
  const who = psql('select current_user || \'@\' || current_database() || \' max_conn=\' || current_setting(\'max_connections\')');
  check(tag, 'psql connects with the connection string', who.startsWith('streamforge@streamforge'), who);
  if (persistentMarker) {
    const before = psql("select to_regclass('public.stack_check') is not null");
    psql('create table if not exists stack_check(id serial primary key, at timestamptz default now()); insert into stack_check default values;');
    check(tag, 'persistent data: marker table', true, `existed before: ${before}, rows now: ${psql('select count(*) from stack_check')}`);
  }

  // S3 through the SDK: PUT / GET, a wrong secret refused, presigned URLs, paged listing
  const s3 = s3Client(info.s3);
  const Bucket = info.s3.bucket;
  const status = async (p) => { try { await p; return 200; } catch (e) { return e.$metadata?.httpStatusCode ?? e.message; } };
  const key = `media/check-${tag}-${RUN}/hello.txt`;
  const body = `hello from ${tag} ${Date.now()}`;
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: 'text/plain', CacheControl: 'public, max-age=300' }));
  check(tag, 'S3 SDK PutObject', put.$metadata.httpStatusCode === 200, `${put.$metadata.httpStatusCode} etag=${put.ETag}`);
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
  check(tag, 'S3 SDK GetObject round trip', (await got.Body.transformToString()) === body, `${got.$metadata.httpStatusCode}`);
  const wrong = await status(s3Client({ ...info.s3, secretKey: 'wrong' }).send(new GetObjectCommand({ Bucket, Key: key })));
  check(tag, 'S3 wrong secret refused', wrong === 403, `${wrong}`);
  const presigned = await presign(s3, new PutObjectCommand({ Bucket, Key: `raw/check-${tag}-${RUN}/part` }), 60);
  let r = await fetch(presigned, { method: 'PUT', body: 'part-bytes', headers: { Origin: 'http://localhost:5173' } });
  check(tag, 'S3 presigned PUT (cross-origin) exposes ETag', r.status === 200 && r.headers.get('access-control-expose-headers') === 'ETag' && !!r.headers.get('etag'), `${r.status} ACAO=${r.headers.get('access-control-allow-origin')} ACEH=${r.headers.get('access-control-expose-headers')}`);
  r = await fetch(presigned.replace(/X-Amz-Signature=[0-9a-f]{4}/, 'X-Amz-Signature=0000'), { method: 'PUT', body: 'x' });
  check(tag, 'S3 tampered presigned URL refused', r.status === 403, `${r.status}`);
  r = await fetch(`${info.s3.endpoint}/${Bucket}`);
  check(tag, 'S3 anonymous bucket listing refused', r.status === 403, `${r.status}`);
  r = await fetch(`${info.s3.endpoint}/${Bucket}/${key}`);
  check(tag, 'S3 anonymous object read', r.status === 200 && (await r.text()) === body, `${r.status}`);

  // paged listing (continuation tokens): MaxKeys=1 over three objects
  {
    const Prefix = `list/check-${tag}-${RUN}/`;
    for (const n of [1, 2, 3]) await s3.send(new PutObjectCommand({ Bucket, Key: `${Prefix}obj${n}`, Body: `${n}` }));
    const seen = [];
    let ContinuationToken;
    let listStatus = 200;
    for (let i = 0; i < 10; i++) {
      try {
        const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix, MaxKeys: 1, ContinuationToken }));
        seen.push(...(page.Contents ?? []).map((o) => o.Key));
        ContinuationToken = page.NextContinuationToken;
      } catch (e) { listStatus = e.$metadata?.httpStatusCode ?? e.message; break; }
      if (!ContinuationToken) break;
    }
    check(tag, 'S3 paged ListObjectsV2 (continuation tokens)', listStatus === 200 && seen.length === 3 && new Set(seen).size === 3, `${listStatus}, ${seen.length} keys in pages of 1`);
  }

  // CORS preflight on the S3 endpoint
  r = await fetch(`${info.s3.endpoint}/${info.s3.bucket}/raw/x?partNumber=1&uploadId=abc`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' } });
  check(tag, 'S3 CORS preflight', r.status === 200 && r.headers.get('access-control-expose-headers') === 'ETag', `${r.status} ACAO=${r.headers.get('access-control-allow-origin')} methods=${r.headers.get('access-control-allow-methods')} ACEH=${r.headers.get('access-control-expose-headers')} max-age=${r.headers.get('access-control-max-age')}`);

  // CDN
  if (!info.cdnUrl) { check(tag, 'CDN (nginx absent)', true, 'cdnUrl null'); return; }
  // twice: first fetched without Origin, then first fetched with Origin (the cached copy then
  // carries the origin's CORS headers: they must not be doubled on HITs)
  for (const [label, order] of [['no-Origin first', [{}, { Origin: 'http://localhost:5173' }, {}]], ['Origin first', [{ Origin: 'http://localhost:5173' }, {}, { Origin: 'http://x.test' }]]]) {
    const objKey = `media/check-${tag}-${RUN}/${label.replace(/\W/g, '')}.txt`;
    await s3.send(new PutObjectCommand({ Bucket, Key: objKey, Body: body, ContentType: 'text/plain', CacheControl: 'public, max-age=300' }));
    const statuses = [];
    for (const headers of order) {
      r = await fetch(`${info.cdnUrl}/${objKey}`, { headers });
      const text = await r.text();
      statuses.push(`${r.status}/${r.headers.get('x-cache-status')}/ACAO=${r.headers.get('access-control-allow-origin')}/ACEH=${r.headers.get('access-control-expose-headers')}${text === body ? '' : '/BODY-MISMATCH'}`);
    }
    const ok = statuses.join('|') === '200/MISS/ACAO=*/ACEH=ETag|200/HIT/ACAO=*/ACEH=ETag|200/HIT/ACAO=*/ACEH=ETag';
    check(tag, `CDN MISS then HIT with CORS (${label})`, ok, statuses.join(' | '));
  }
  r = await fetch(`${info.cdnUrl}/media/check-${tag}-${RUN}/hello.txt`, { method: 'HEAD' });
  check(tag, 'CDN HEAD', r.status === 200 && !!r.headers.get('etag'), `${r.status} ${r.headers.get('x-cache-status')} etag=${r.headers.get('etag')}`);
  // origin Cache-Control: no-store is honoured (never cached)
  await s3.send(new PutObjectCommand({ Bucket, Key: `media/check-${tag}-${RUN}/nostore.json`, Body: '{}', ContentType: 'application/json', CacheControl: 'no-store' }));
  const nsStatuses = [];
  for (let i = 0; i < 2; i++) { r = await fetch(`${info.cdnUrl}/media/check-${tag}-${RUN}/nostore.json`); await r.text(); nsStatuses.push(r.headers.get('x-cache-status')); }
  check(tag, 'CDN honours origin Cache-Control: no-store', nsStatuses.every((s) => s === 'MISS'), nsStatuses.join(','));
  r = await fetch(`${info.cdnUrl}/media/check-${tag}-${RUN}/missing.txt`);
  check(tag, 'CDN passes 404 through', r.status === 404, `${r.status} ${r.headers.get('x-cache-status')}`);
}

function leftovers(dir) {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes(dir) && !l.includes('check-stack'));
}

async function one(tag, extraArgs) {
  // the library adds --stdin-lifetime, and --ephemeral unless --data is given
  const args = values.persistent ? ['--data', values.persistent, ...extraArgs] : extraArgs;
  const t0 = Date.now();
  const s = startStack(tag, args);
  const info = await s.ready;
  check(tag, 'STACK_READY', true, `${Date.now() - t0} ms, pg ${info.postgres.port}, s3 ${info.s3.endpoint}, cdn ${info.cdnUrl}, api ${info.apiUrl}, dir ${info.dataDir}`);
  try {
    await exercise(tag, info, { persistentMarker: !!values.persistent });
    if (info.apiUrl) {
      const r = await fetch(`${info.apiUrl}/health/ready`);
      check(tag, 'api /health/ready', r.status === 200, `${r.status}`);
    }
  } catch (e) {
    check(tag, 'exercise', false, e.stack);
  }
  const t1 = Date.now();
  if (values.stop === 'stdin') s.child.stdin.end(); else s.child.kill(values.stop.toUpperCase());
  const { code, signal } = await s.whenExited;
  check(tag, `${values.stop} stops the stack`, values.stop === 'stdin' ? code === 0 : code !== null, `exit ${code ?? signal} in ${Date.now() - t1} ms`);
  await sleep(200);
  const left = leftovers(info.dataDir);
  check(tag, 'no processes left', left.length === 0, left.join('; '));
  if (!values.persistent) check(tag, 'ephemeral folder removed', !fs.existsSync(info.dataDir), info.dataDir);
  else check(tag, 'persistent folder kept', fs.existsSync(path.join(info.dataDir, 'postgres/data/PG_VERSION')), info.dataDir);
}

const n = Number(values.parallel);
await Promise.all(Array.from({ length: n }, (_, i) => one(`s${i + 1}`, positionals)));
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} checks passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
