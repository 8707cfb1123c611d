// node --test scripts/lib/tooling.test.mjs — the tooling library against real processes and servers
// (a stand-in launcher speaking the STACK_READY/stdin contract, a local HTTP server, the real stack's S3 server).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { launchStack, parseReadyLine, startStack } from './stack-client.mjs';
import { apiClient } from './api-client.mjs';
import { presign, s3Client } from './s3-client.mjs';
import { median, percentile } from './figures.mjs';
import { argv, cmdline, comm, openFiles, pids, stat } from './proc.mjs';
import { childPids } from './machine.mjs';
import { spawn } from 'node:child_process';

function fakeLauncher(body) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-tooling-test-'));
  const file = path.join(dir, 'launcher.mjs');
  fs.writeFileSync(file, body);
  return { command: [process.execPath, [file]], cleanup: false, dir };
}

test('launchStack resolves the STACK_READY payload and stop() ends the launcher by closing stdin', async () => {
  const fake = fakeLauncher(`
    process.stderr.write('starting\\n');
    process.stdout.write('noise first\\nSTACK_READY ' + JSON.stringify({ apiUrl: 'http://127.0.0.1:1', env: { A: 'b' } }) + '\\n');
    process.stdin.on('end', () => { process.stderr.write('stdin closed\\n'); process.exit(0); });
    process.stdin.resume();
  `);
  const logFile = path.join(fake.dir, 'log.txt');
  const stack = launchStack({ ...fake, logFile });
  assert.deepEqual(await stack.ready, { apiUrl: 'http://127.0.0.1:1', env: { A: 'b' } });
  const exited = await stack.stop();
  assert.deepEqual(exited, { code: 0, signal: null });
  assert.match(fs.readFileSync(logFile, 'utf8'), /starting\nstdin closed/);
});

test('launchStack rejects with the log tail when the launcher dies before it is ready', async () => {
  const stack = launchStack(fakeLauncher(`process.stderr.write('port in use\\n'); process.exit(3);`));
  await assert.rejects(stack.ready, (e) => /exited \(3\) before STACK_READY/.test(e.message) && /port in use/.test(e.message));
});

test('parseReadyLine reads only the marker line', () => {
  assert.equal(parseReadyLine('STACK_READYX {}'), null);
  assert.deepEqual(parseReadyLine('STACK_READY {"a":1}'), { a: 1 });
});

test('apiClient keeps the bearer token and the session cookies, and throws on errors unless expected', async () => {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url, auth: req.headers.authorization, cookie: req.headers.cookie, csrf: req.headers['x-csrf'] });
    if (req.url === '/api/v1/auth/login') {
      res.setHeader('set-cookie', ['sf_access=abc; Path=/; HttpOnly', 'sf_refresh=r1; Path=/api/v1/auth']);
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ accessToken: 'tok' }));
    }
    if (req.url === '/missing') { res.statusCode = 404; return res.end('{"title":"Not Found"}'); }
    res.end('{"ok":true}');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const api = apiClient(`http://127.0.0.1:${server.address().port}`);
    await api.login('a@b.c', 'pw');
    assert.deepEqual(await api.call('POST', '/thing', { x: 1 }), { ok: true });
    assert.equal(seen[1].auth, 'Bearer tok');
    assert.equal(seen[1].cookie, 'sf_access=abc; sf_refresh=r1');
    assert.equal(seen[1].csrf, '1');
    assert.equal(api.cookieHeader, 'sf_access=abc; sf_refresh=r1');
    await assert.rejects(api.call('GET', '/missing'), /GET \/missing → 404/);
    assert.deepEqual(await api.call('GET', '/missing', undefined, { expect: [404] }), { title: 'Not Found' });
  } finally {
    server.close();
  }
});

test('s3Client and presign work against the stack\'s S3 server started through the launcher', { timeout: 120_000 }, async () => {
  const stack = await startStack({ args: ['--quiet'], cleanup: false });
  try {
    const s3 = s3Client(stack.info.s3);
    const Bucket = stack.info.s3.bucket;
    const Key = `tooling-test/${process.pid}.txt`;
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'hello', ContentType: 'text/plain' }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    assert.equal(await got.Body.transformToString(), 'hello');
    const url = await presign(s3, new PutObjectCommand({ Bucket, Key: `${Key}.2` }), 60);
    assert.equal((await fetch(url, { method: 'PUT', body: 'presigned' })).status, 200);
    const back = await s3.send(new GetObjectCommand({ Bucket, Key: `${Key}.2` }));
    assert.equal(await back.Body.transformToString(), 'presigned');
    const wrong = s3Client({ ...stack.info.s3, secretKey: 'wrong' });
    await assert.rejects(wrong.send(new GetObjectCommand({ Bucket, Key })), (e) => e.$metadata?.httpStatusCode === 403);
  } finally {
    assert.equal((await stack.stop()).code, 0);
  }
  assert.equal(fs.existsSync(stack.info.dataDir), false, 'the ephemeral stack folder is removed');
});

test('median and percentile', () => {
  assert.equal(median([3, 1, 2, 10]), 2.5);
  assert.equal(median([]), null);
  assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
  assert.equal(percentile([1, 2, 3, 4], 100), 4);
});

// the benchmark table has its own tests: bench-table.test.mjs

test('proc.mjs reads a live child whose name holds spaces and parentheses, and answers null once it is gone', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-proc-test-'));
  const odd = path.join(dir, 'a) (b c');
  fs.symlinkSync(fs.realpathSync('/bin/sleep'), odd);
  const child = spawn(odd, ['30'], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => child.once('spawn', resolve));
    const s = stat(child.pid);
    assert.equal(s.ppid, process.pid);
    assert.equal(s.comm, 'a) (b c');
    assert.equal(comm(child.pid), 'a) (b c');
    assert.match(s.state, /^[RSD]$/);
    assert.deepEqual(argv(child.pid), [odd, '30']);
    assert.equal(cmdline(child.pid), `${odd} 30`);
    assert.ok(pids().includes(child.pid));
    assert.deepEqual(childPids(process.pid, 'b c'), [child.pid]);
    assert.equal(stat('self').pid, process.pid);
    assert.ok(openFiles('self').some((f) => f.fd === 0 || f.fd === 1));
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(stat(child.pid), null);
  assert.deepEqual(argv(child.pid), []);
  assert.equal(comm(child.pid), null);
});
