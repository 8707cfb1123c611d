#!/usr/bin/env node
// A stand-in for `node scripts/stack.mjs --api …`, following docs/api.md, for developing and
// checking the SPA without the .NET server: an in-memory API (cookie auth + CSRF, uploads with
// presigned-looking part URLs, videos, SSE, admin/jobs), a tiny storage endpoint (CORS, ETag,
// expiring signatures) and a "worker" that transcodes uploads with FFmpeg into the §4a layout.
// Prints `STACK_READY {json}` like the real launcher; stops on SIGINT/SIGTERM or stdin EOF.
//   node web/e2e/mock-stack.mjs [--port 5180]
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeMedia } from './lib/mockMedia.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(here, '../dist');
const BUCKET = 'streamforge';
const ADMIN = { email: 'admin@mock.local', password: 'mock-admin-password' };
const THRESHOLD = Number(process.env.Uploads__MultipartThresholdBytes ?? 100_000_000);
const PART_SIZE = Number(process.env.Uploads__PartSizeBytes ?? 10_000_000);
const URL_LIFETIME_MS = Number(process.env.Uploads__PresignedUrlLifetimeMs ?? 3_600_000);
const QUOTA = 500_000_000;
const portArg = process.argv.indexOf('--port');
const API_PORT = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-mock-'));
const log = (...a) => process.stderr.write(`[mock] ${a.join(' ')}\n`);

// ---------- state ----------
const users = new Map(); // id → user
const tokens = new Map(); // access token → userId
const refreshTokens = new Map();
const videos = new Map(); // id → video
const sessions = new Map(); // videoId → upload session
const objects = new Map(); // key → Buffer
const jobs = new Map(); // videoId → job
const history = []; // {minute, succeeded, failed}
const sse = new Set(); // {res, userId, admin}
const now = () => new Date().toISOString();
const id = () => crypto.randomUUID();

function addUser(email, password, role) {
  const u = { id: id(), email, password, role, quotaBytes: role === 'admin' ? null : QUOTA, createdAt: now() };
  users.set(u.id, u);
  return u;
}
addUser(ADMIN.email, ADMIN.password, 'admin');
const used = (userId) => [...videos.values()].filter((v) => v.ownerId === userId).reduce((s, v) => s + v.sizeBytes, 0);

// ---------- http helpers ----------
function send(res, status, body, headers = {}) {
  if (body === undefined) {
    res.writeHead(status, headers);
    return res.end();
  }
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
function problem(res, status, title, detail, errors) {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) }));
}
async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const buf = Buffer.concat(chunks);
  return { buf, json: () => (buf.length ? JSON.parse(String(buf)) : {}) };
}
function cookies(req) {
  return Object.fromEntries((req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=')).filter((p) => p[0]));
}
function issue(res, user) {
  const access = crypto.randomBytes(16).toString('hex');
  const refresh = crypto.randomBytes(16).toString('hex');
  tokens.set(access, user.id);
  refreshTokens.set(refresh, user.id);
  res.setHeader('Set-Cookie', [
    `sf_access=${access}; Path=/; HttpOnly; SameSite=Strict`,
    `sf_refresh=${refresh}; Path=/api/v1/auth; HttpOnly; SameSite=Strict`,
  ]);
  return { accessToken: access, expiresAt: new Date(Date.now() + 900_000).toISOString(), user: { id: user.id, email: user.email, role: user.role } };
}
const meOf = (u) => ({ id: u.id, email: u.email, role: u.role, storageUsedBytes: used(u.id), quotaBytes: u.quotaBytes, createdAt: u.createdAt });
const publicVideo = (v) => ({ ...v, ownerEmail: users.get(v.ownerId)?.email ?? '' });

function publish(v) {
  const data = JSON.stringify({ videoId: v.id, ownerId: v.ownerId, status: v.status, progress: v.progress, error: v.lastError });
  for (const c of sse) if (c.admin || c.userId === v.ownerId) c.res.write(`event: video\ndata: ${data}\n\n`);
}

// ---------- storage (S3 stand-in) ----------
let storageUrl = '';
function sign(key, extra) {
  const expires = Date.now() + URL_LIFETIME_MS;
  const q = new URLSearchParams({ ...extra, 'X-Expires': String(expires) });
  const sig = crypto.createHmac('sha256', 'mock').update(`${key}?${q}`).digest('hex');
  q.set('X-Signature', sig);
  return { url: `${storageUrl}/${BUCKET}/${key}?${q}`, expiresAt: new Date(expires).toISOString() };
}
const storage = http.createServer((req, res) => {
  storageHandler(req, res).catch((e) => {
    // An aborted PUT (pause, reload) ends the request mid-body: nothing to answer.
    if (e.code !== 'ECONNRESET') log('storage error', e.stack);
    if (!res.headersSent && !res.destroyed) send(res, 500, undefined);
  });
});
async function storageHandler(req, res) {
  const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'ETag' };
  if (req.method === 'OPTIONS') {
    return send(res, 200, undefined, { ...cors, 'Access-Control-Allow-Methods': 'GET,PUT,HEAD', 'Access-Control-Allow-Headers': '*', 'Access-Control-Max-Age': '3000' });
  }
  const url = new URL(req.url, 'http://x');
  const key = decodeURIComponent(url.pathname.slice(BUCKET.length + 2));
  if (req.method === 'PUT') {
    const q = new URLSearchParams(url.search);
    const sig = q.get('X-Signature');
    q.delete('X-Signature');
    const expected = crypto.createHmac('sha256', 'mock').update(`${key}?${q}`).digest('hex');
    const xml = (code, msg) => `<?xml version="1.0"?><Error><Code>${code}</Code><Message>${msg}</Message></Error>`;
    if (sig !== expected) return send(res, 403, undefined, cors), undefined;
    if (Number(q.get('X-Expires')) < Date.now()) {
      res.writeHead(403, { ...cors, 'Content-Type': 'application/xml' });
      return res.end(xml('AccessDenied', 'Request has expired'));
    }
    if (req.headers['content-type']) {
      res.writeHead(403, { ...cors, 'Content-Type': 'application/xml' });
      return res.end(xml('SignatureDoesNotMatch', 'Content-Type was not signed'));
    }
    const { buf } = await body(req);
    const etag = `"${crypto.createHash('md5').update(buf).digest('hex')}"`;
    const part = q.get('partNumber');
    objects.set(part ? `${key}#part${part}` : key, buf);
    return send(res, 200, undefined, { ...cors, ETag: etag });
  }
  if (req.method === 'GET' || req.method === 'HEAD') {
    if (key.startsWith('media/')) {
      const file = path.join(dataDir, key);
      if (!file.startsWith(path.join(dataDir, 'media')) || !fs.existsSync(file)) return send(res, 404, undefined, cors);
      const type = file.endsWith('.json') ? 'application/json' : file.endsWith('.vtt') ? 'text/vtt' : file.endsWith('.jpg') ? 'image/jpeg' : 'video/mp4';
      res.writeHead(200, { ...cors, 'Content-Type': type });
      return fs.createReadStream(file).pipe(res);
    }
    const obj = objects.get(key);
    if (!obj) return send(res, 404, undefined, cors);
    res.writeHead(200, { ...cors, 'Content-Type': 'application/octet-stream', 'Content-Length': obj.length });
    return res.end(req.method === 'HEAD' ? undefined : obj);
  }
  send(res, 405, undefined, cors);
}

// ---------- worker ----------
async function processVideo(v) {
  const job = jobs.get(v.id) ?? { videoId: v.id, attempts: [] };
  jobs.set(v.id, job);
  Object.assign(job, { state: 'processing', worker: 'mock-worker-1', enqueuedAt: job.enqueuedAt ?? now(), startedAt: now(), finishedAt: null, lastError: null });
  const attempt = { attempt: job.attempts.length + 1, worker: 'mock-worker-1', startedAt: now(), finishedAt: null, outcome: 'running', error: null };
  job.attempts.push(attempt);
  v.status = 'processing';
  v.progress = 0;
  publish(v);
  const src = path.join(dataDir, 'src', v.id);
  const out = path.join(dataDir, 'media', v.id);
  const t0 = Date.now();
  try {
    await fsp.mkdir(path.dirname(src), { recursive: true });
    await fsp.writeFile(src, objects.get(`raw/${v.id}/source`));
    let last = 0;
    const { manifest, info } = await makeMedia(src, out, {
      maxQuality: v.maxQuality ?? 1080,
      onProgress: (p) => {
        if (Date.now() - last < 500) return;
        last = Date.now();
        v.progress = Math.round(p);
        publish(v);
      },
    });
    const base = `${storageUrl}/${BUCKET}/media/${v.id}`;
    Object.assign(v, {
      status: 'ready', progress: 100, durationSeconds: info.duration, width: info.width, height: info.height,
      manifestUrl: `${base}/manifest.json`, posterUrl: `${base}/poster.jpg`, thumbnailsVttUrl: `${base}/thumbs.vtt`,
      readyAt: now(), updatedAt: now(), renditions: manifest.video.map((r) => ({ id: r.id, width: r.width, height: r.height, bandwidth: r.bandwidth })),
    });
    Object.assign(attempt, { finishedAt: now(), outcome: 'succeeded' });
    Object.assign(job, { state: 'succeeded', finishedAt: now(), durationMs: Date.now() - t0 });
    bump('succeeded');
  } catch (e) {
    const msg = String(e.message ?? e).slice(0, 400);
    Object.assign(v, { status: 'failed', lastError: msg, updatedAt: now() });
    Object.assign(attempt, { finishedAt: now(), outcome: 'failed', error: msg });
    Object.assign(job, { state: 'failed', finishedAt: now(), lastError: msg, durationMs: Date.now() - t0 });
    bump('failed');
  } finally {
    await fsp.rm(src, { force: true });
  }
  v.processingAttempts = job.attempts.length;
  publish(v);
}
function bump(kind) {
  const minute = new Date(Math.floor(Date.now() / 60000) * 60000).toISOString();
  let h = history.find((x) => x.minute === minute);
  if (!h) history.push((h = { minute, succeeded: 0, failed: 0 }));
  h[kind]++;
}
const jobView = (j) => {
  const v = videos.get(j.videoId);
  return {
    videoId: j.videoId, title: v?.title ?? '', ownerEmail: users.get(v?.ownerId)?.email ?? '', state: j.state, worker: j.worker,
    enqueuedAt: j.enqueuedAt, startedAt: j.startedAt, finishedAt: j.finishedAt, durationMs: j.durationMs ?? null,
    queueLatencyMs: 12, attempts: j.attempts.length, lastError: j.lastError,
  };
};

// ---------- API ----------
function route(method, pattern) {
  const keys = [];
  const re = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, k) => (keys.push(k), '([^/]+)'))}$`);
  return { method, re, keys };
}
const routes = [];
const on = (method, pattern, handler, opts = {}) => routes.push({ ...route(method, pattern), handler, ...opts });

on('POST', '/api/v1/auth/register', async (req, res, { json }) => {
  const b = json();
  if (!b.email || !/@/.test(b.email)) return problem(res, 400, 'Validation failed', 'The request is invalid.', { email: ['Enter a valid email address.'] });
  if (!b.password || b.password.length < 8) return problem(res, 400, 'Validation failed', 'The request is invalid.', { password: ['At least 8 characters.'] });
  if ([...users.values()].some((u) => u.email === b.email)) return problem(res, 409, 'Email taken', 'An account with this email exists.');
  send(res, 201, issue(res, addUser(b.email, b.password, 'user')));
}, { anon: true });
on('POST', '/api/v1/auth/login', async (req, res, { json }) => {
  const b = json();
  const u = [...users.values()].find((x) => x.email === b.email && x.password === b.password);
  if (!u) return problem(res, 401, 'Invalid credentials', 'Wrong email or password.');
  send(res, 200, issue(res, u));
}, { anon: true });
on('POST', '/api/v1/auth/refresh', async (req, res) => {
  const userId = refreshTokens.get(cookies(req).sf_refresh);
  if (!userId) return problem(res, 401, 'Unauthorized', 'Sign in again.');
  refreshTokens.delete(cookies(req).sf_refresh);
  send(res, 200, issue(res, users.get(userId)));
}, { anon: true });
on('POST', '/api/v1/auth/logout', async (req, res) => {
  tokens.delete(cookies(req).sf_access);
  res.setHeader('Set-Cookie', ['sf_access=; Path=/; Max-Age=0', 'sf_refresh=; Path=/api/v1/auth; Max-Age=0']);
  send(res, 204);
}, { anon: true });
on('GET', '/api/v1/me', async (req, res, _b, u) => send(res, 200, meOf(u)));
on('POST', '/api/v1/me/password', async (req, res, { json }, u) => {
  const b = json();
  if (b.currentPassword !== u.password) return problem(res, 400, 'Wrong password', 'The current password is not correct.');
  u.password = b.newPassword;
  send(res, 204);
});

on('POST', '/api/v1/uploads', async (req, res, { json }, u) => {
  const b = json();
  if (!(b.size > 0)) return problem(res, 400, 'Validation failed', 'Invalid upload.', { size: ['Must be positive.'] });
  if (u.quotaBytes !== null && used(u.id) + b.size > u.quotaBytes) return problem(res, 413, 'Quota exceeded', `This upload needs ${b.size} bytes; ${u.quotaBytes - used(u.id)} are left.`);
  const vid = id();
  const single = b.size <= THRESHOLD;
  const partSize = single ? b.size : Math.max(PART_SIZE, Math.ceil(b.size / 10000));
  const partCount = single ? 1 : Math.ceil(b.size / partSize);
  videos.set(vid, {
    id: vid, ownerId: u.id, title: b.title || b.fileName, fileName: b.fileName, status: 'pending_upload', progress: 0, sizeBytes: b.size,
    maxQuality: b.maxQuality ?? 1080, durationSeconds: null, width: null, height: null, manifestUrl: null, posterUrl: null, thumbnailsVttUrl: null,
    processingAttempts: 0, lastError: null, createdAt: now(), updatedAt: now(), readyAt: null, probe: null, renditions: [],
  });
  sessions.set(vid, { videoId: vid, state: 'active', mode: single ? 'single' : 'multipart', fileName: b.fileName, size: b.size, contentType: b.contentType, partSize, partCount, parts: new Map(), uploadId: id() });
  const signed = single ? sign(`raw/${vid}/source`, {}) : null;
  send(res, 201, { videoId: vid, mode: single ? 'single' : 'multipart', partSize, partCount, ...(signed ? { url: signed.url, expiresAt: signed.expiresAt } : { expiresAt: new Date(Date.now() + URL_LIFETIME_MS).toISOString() }) });
});
const owned = (u, vid) => {
  const v = videos.get(vid);
  return v && (v.ownerId === u.id || u.role === 'admin') ? v : null;
};
on('GET', '/api/v1/uploads/:id', async (req, res, _b, u, p) => {
  const s = owned(u, p.id) && sessions.get(p.id);
  if (!s) return problem(res, 404, 'Not found', 'No such upload.');
  send(res, 200, { videoId: s.videoId, state: s.state, mode: s.mode, fileName: s.fileName, size: s.size, contentType: s.contentType, partSize: s.partSize, partCount: s.partCount, parts: [...s.parts.values()], expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
});
on('POST', '/api/v1/uploads/:id/parts/sign', async (req, res, { json }, u, p) => {
  const s = owned(u, p.id) && sessions.get(p.id);
  if (!s || s.state !== 'active') return problem(res, 404, 'Not found', 'No active upload.');
  const nums = json().partNumbers ?? [];
  if (nums.length > 100 || nums.some((n) => n < 1 || n > s.partCount)) return problem(res, 400, 'Validation failed', 'Bad part numbers.');
  send(res, 200, nums.map((n) => ({ partNumber: n, ...(s.mode === 'single' ? sign(`raw/${s.videoId}/source`, {}) : sign(`raw/${s.videoId}/source`, { uploadId: s.uploadId, partNumber: String(n) })) })));
});
on('PUT', '/api/v1/uploads/:id/parts/:n', async (req, res, { json }, u, p) => {
  const s = owned(u, p.id) && sessions.get(p.id);
  if (!s) return problem(res, 404, 'Not found', 'No such upload.');
  const b = json();
  s.parts.set(Number(p.n), { partNumber: Number(p.n), etag: b.etag, size: b.size });
  videos.get(p.id).status = 'uploading';
  send(res, 204);
});
on('POST', '/api/v1/uploads/:id/complete', async (req, res, _b, u, p) => {
  const s = owned(u, p.id) && sessions.get(p.id);
  if (!s) return problem(res, 404, 'Not found', 'No such upload.');
  const v = videos.get(p.id);
  if (s.state === 'completed') return send(res, 202, publicVideo(v));
  const key = `raw/${s.videoId}/source`;
  if (s.mode === 'multipart') {
    const bufs = [];
    for (let n = 1; n <= s.partCount; n++) {
      const part = objects.get(`${key}#part${n}`);
      const rec = s.parts.get(n);
      const etag = part && `"${crypto.createHash('md5').update(part).digest('hex')}"`;
      if (!part || !rec || rec.etag !== etag) return problem(res, 400, 'Upload incomplete', `Part ${n} is missing or its ETag does not match.`);
      bufs.push(part);
    }
    objects.set(key, Buffer.concat(bufs));
    for (let n = 1; n <= s.partCount; n++) objects.delete(`${key}#part${n}`);
  }
  if (objects.get(key)?.length !== s.size) return problem(res, 400, 'Size mismatch', 'The stored object does not have the declared size.');
  s.state = 'completed';
  jobs.set(v.id, { videoId: v.id, state: 'scheduled', enqueuedAt: now(), attempts: [] });
  v.status = 'processing';
  send(res, 202, publicVideo(v));
  void processVideo(v);
});
on('DELETE', '/api/v1/uploads/:id', async (req, res, _b, u, p) => {
  const s = owned(u, p.id) && sessions.get(p.id);
  if (!s) return problem(res, 404, 'Not found', 'No such upload.');
  s.state = 'aborted';
  videos.delete(p.id);
  send(res, 204);
});

const SORTS = {
  created_desc: (a, b) => b.createdAt.localeCompare(a.createdAt), created_asc: (a, b) => a.createdAt.localeCompare(b.createdAt),
  title_asc: (a, b) => a.title.localeCompare(b.title), title_desc: (a, b) => b.title.localeCompare(a.title), size_desc: (a, b) => b.sizeBytes - a.sizeBytes,
};
function pageOf(list, q) {
  const page = Math.max(1, Number(q.get('page') ?? 1));
  const pageSize = Math.min(100, Math.max(1, Number(q.get('pageSize') ?? 20)));
  return { items: list.slice((page - 1) * pageSize, page * pageSize).map(publicVideo), total: list.length, page, pageSize };
}
on('GET', '/api/v1/videos', async (req, res, _b, u, _p, q) => {
  const list = [...videos.values()].filter((v) => v.ownerId === u.id && v.status !== 'pending_upload').sort(SORTS[q.get('sort')] ?? SORTS.created_desc);
  send(res, 200, pageOf(list, q));
});
on('GET', '/api/v1/videos/:id', async (req, res, _b, u, p) => {
  const v = owned(u, p.id);
  return v ? send(res, 200, publicVideo(v)) : problem(res, 404, 'Not found', 'No such video.');
});
on('PATCH', '/api/v1/videos/:id', async (req, res, { json }, u, p) => {
  const v = owned(u, p.id);
  if (!v) return problem(res, 404, 'Not found', 'No such video.');
  const t = String(json().title ?? '').trim();
  if (!t) return problem(res, 400, 'Validation failed', 'Invalid title.', { title: ['Required.'] });
  v.title = t;
  send(res, 200, publicVideo(v));
});
on('DELETE', '/api/v1/videos/:id', async (req, res, _b, u, p) => {
  if (!owned(u, p.id)) return problem(res, 404, 'Not found', 'No such video.');
  videos.delete(p.id);
  jobs.delete(p.id);
  send(res, 204);
});
on('POST', '/api/v1/videos/:id/retry', async (req, res, _b, u, p) => {
  const v = owned(u, p.id);
  if (!v || v.status !== 'failed') return problem(res, 409, 'Not failed', 'Only failed videos can be retried.');
  v.status = 'processing';
  send(res, 202, publicVideo(v));
  void processVideo(v);
});
on('POST', '/api/v1/videos/:id/cancel', async (req, res, _b, u, p) => {
  const v = owned(u, p.id);
  if (!v) return problem(res, 404, 'Not found', 'No such video.');
  Object.assign(v, { status: 'failed', lastError: 'cancelled by owner' });
  publish(v);
  send(res, 202, publicVideo(v));
});
on('GET', '/api/v1/events', async (req, res, _b, u) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  res.write(': connected\n\n');
  const client = { res, userId: u.id, admin: u.role === 'admin' };
  sse.add(client);
  const ping = setInterval(() => res.write(': ping\n\n'), 15000);
  req.on('close', () => {
    clearInterval(ping);
    sse.delete(client);
  });
});

const adminOnly = { admin: true };
on('GET', '/api/v1/admin/videos', async (req, res, _b, u, _p, q) => {
  const status = q.get('status');
  send(res, 200, pageOf([...videos.values()].filter((v) => !status || v.status === status).sort(SORTS.created_desc), q));
}, adminOnly);
on('GET', '/api/v1/admin/users', async (req, res) => {
  send(res, 200, [...users.values()].map((u) => ({ ...meOf(u), videoCount: [...videos.values()].filter((v) => v.ownerId === u.id).length })));
}, adminOnly);
on('PATCH', '/api/v1/admin/users/:id', async (req, res, { json }, _u, p) => {
  const target = users.get(p.id);
  if (!target) return problem(res, 404, 'Not found', 'No such user.');
  const b = json();
  if (b.role) target.role = b.role;
  if ('quotaBytes' in b) target.quotaBytes = b.quotaBytes;
  send(res, 200, meOf(target));
}, adminOnly);
on('DELETE', '/api/v1/admin/videos/:id', async (req, res, _b, _u, p) => {
  videos.delete(p.id);
  jobs.delete(p.id);
  send(res, 204);
}, adminOnly);
on('GET', '/api/v1/admin/jobs/stats', async (req, res) => {
  const count = (s) => [...jobs.values()].filter((j) => j.state === s).length;
  send(res, 200, { scheduled: count('scheduled'), processing: count('processing'), succeeded: count('succeeded'), failed: count('failed'), history: history.slice(-60) });
}, adminOnly);
on('GET', '/api/v1/admin/jobs', async (req, res, _b, _u, _p, q) => {
  const list = [...jobs.values()].filter((j) => j.state === q.get('state')).map(jobView);
  send(res, 200, { items: list, total: list.length });
}, adminOnly);
on('GET', '/api/v1/admin/jobs/:id', async (req, res, _b, _u, p) => {
  const j = jobs.get(p.id);
  return j ? send(res, 200, { ...jobView(j), attempts: j.attempts }) : problem(res, 404, 'Not found', 'No such job.');
}, adminOnly);
on('POST', '/api/v1/admin/jobs/requeue', async (req, res, { json }) => {
  const ids = (json().videoIds ?? []).filter((x) => jobs.has(x) && videos.has(x));
  for (const x of ids) void processVideo(videos.get(x));
  send(res, 200, { requeued: ids.length });
}, adminOnly);
on('POST', '/api/v1/admin/jobs/delete', async (req, res, { json }) => {
  const ids = (json().videoIds ?? []).filter((x) => jobs.delete(x));
  send(res, 200, { deleted: ids.length });
}, adminOnly);
on('GET', '/api/v1/admin/workers', async (req, res) => {
  const running = [...jobs.values()].filter((j) => j.state === 'processing').length;
  send(res, 200, [{ name: 'mock-worker-1', lastHeartbeat: now(), running, capacity: 1 }]);
}, adminOnly);

process.on('uncaughtException', (e) => log('uncaught', e.stack));
const api = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  try {
    if (url.pathname.startsWith('/api/')) {
      for (const r of routes) {
        const m = r.method === req.method && r.re.exec(url.pathname);
        if (!m) continue;
        const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])]));
        if (req.method !== 'GET' && req.headers['x-csrf'] !== '1') return problem(res, 403, 'CSRF check failed', 'Missing X-CSRF header.');
        const user = users.get(tokens.get(cookies(req).sf_access));
        if (!r.anon && !user) return problem(res, 401, 'Unauthorized', 'Sign in.');
        if (r.admin && user.role !== 'admin') return problem(res, 403, 'Forbidden', 'Admins only.');
        return await r.handler(req, res, await body(req), user, params, url.searchParams);
      }
      return problem(res, 404, 'Not found', `No route ${req.method} ${url.pathname}.`);
    }
    if (url.pathname.startsWith('/health')) return send(res, 200, { status: 'Healthy' });
    // SPA with fallback to index.html
    let file = path.join(DIST, decodeURIComponent(url.pathname));
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(DIST, 'index.html');
    const ext = path.extname(file);
    const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.map': 'application/json' }[ext] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type });
    fs.createReadStream(file).pipe(res);
  } catch (e) {
    log('error', e.stack);
    if (!res.headersSent) problem(res, 500, 'Server error', String(e.message));
  }
});

const listen = (server, port) => new Promise((r) => server.listen(port, '127.0.0.1', () => r(server.address().port)));
const s3Port = await listen(storage, 0);
storageUrl = `http://127.0.0.1:${s3Port}`;
const apiPort = await listen(api, API_PORT);
const info = {
  apiUrl: `http://127.0.0.1:${apiPort}`,
  s3: { endpoint: storageUrl, bucket: BUCKET },
  cdnUrl: null,
  env: { Auth__AdminEmail: ADMIN.email, Auth__AdminPassword: ADMIN.password },
  dataDir,
  mock: true,
};
process.stdout.write(`STACK_READY ${JSON.stringify(info)}\n`);
log(`API + SPA on ${info.apiUrl}, storage on ${storageUrl}, data in ${dataDir}`);

const stop = () => {
  for (const c of sse) c.res.end();
  api.close();
  storage.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (process.argv.includes('--stdin-lifetime')) {
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}
