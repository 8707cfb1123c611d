import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { credentialUploadServer, resumeKeyForToken } from './credentialServer';
import { IndexedDbResumeStore, MemoryResumeStore } from './resumeStore';
import { FakeClock, FakeConnectivity, FakeFile, FakeServer, FakeTransport, hangUntilAborted, makeBytes, until } from './testFakes';
import { UploadManager } from './uploadManager';
import type { ResumeRecord } from './types';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' } });
}

describe('credentialUploadServer', () => {
  it('sends the token as a bearer credential on every call, without cookies or the CSRF header', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    let token: string | null = 'du_first';
    const server = credentialUploadServer({
      baseUrl: 'https://api.example',
      credential: () => token,
      fetchFn: async (url, init) => {
        calls.push({ url, init });
        return url.endsWith('/parts/sign') ? json(200, []) : json(201, { videoId: 'v1' });
      },
    });
    await server.create({ fileName: 'a.mp4', size: 10, contentType: 'video/mp4' });
    token = 'du_second';
    await server.sign('v1', [1]);
    expect(calls.map((c) => c.url)).toEqual(['https://api.example/api/v1/uploads', 'https://api.example/api/v1/uploads/v1/parts/sign']);
    const headers = calls.map((c) => c.init.headers as Record<string, string>);
    expect(headers[0]?.Authorization).toBe('Bearer du_first');
    expect(headers[1]?.Authorization).toBe('Bearer du_second');
    expect(headers.every((h) => h['X-CSRF'] === undefined)).toBe(true);
    expect(calls.every((c) => c.init.credentials === 'omit')).toBe(true);
  });

  it('never tries a session refresh when the token is refused', async () => {
    const urls: string[] = [];
    const server = credentialUploadServer({
      credential: () => 'du_revoked',
      fetchFn: async (url) => {
        urls.push(url);
        return json(401, { title: 'Upload link not valid', status: 401, detail: 'This upload link is not valid.' });
      },
    });
    await expect(server.status('v1')).rejects.toMatchObject({ status: 401 });
    expect(urls).toEqual(['/api/v1/uploads/v1']);
  });
});

describe('resumeKeyForToken', () => {
  it('gives each token its own resume namespace, without storing the token', async () => {
    const a = await resumeKeyForToken('du_aaaaaaaa');
    expect(a).toMatch(/^link:[0-9a-f]{32}$/);
    expect(a).not.toContain('aaaaaaaa');
    expect(await resumeKeyForToken('du_aaaaaaaa')).toBe(a);
    const b = await resumeKeyForToken('du_bbbbbbbb');
    expect(b).not.toBe(a);

    // A reload finds the link's record under the same key, and only that link's.
    const store = new IndexedDbResumeStore(indexedDB, `test-${Math.random()}`);
    const record: ResumeRecord = {
      userId: a, fingerprint: 'clip.mp4|30|1', videoId: 'v1', fileName: 'clip.mp4', size: 30, lastModified: 1, contentType: 'video/mp4',
      title: 'clip', maxQuality: 1080, mode: 'multipart', partSize: 10, partCount: 3, parts: [{ partNumber: 1, etag: '"e1"', size: 10 }],
      createdAt: 1, updatedAt: 1,
    };
    await store.put(record);
    expect((await store.list(await resumeKeyForToken('du_aaaaaaaa'))).map((r) => r.videoId)).toEqual(['v1']);
    expect(await store.list(b)).toEqual([]);
  });
});

/** The upload protocol over "HTTP": answers only requests carrying `Bearer <token>`, the rest is FakeServer's. */
function protocolOverHttp(server: FakeServer, token: string) {
  const seen: string[] = [];
  const fetchFn = async (url: string, init: RequestInit): Promise<Response> => {
    const auth = (init.headers as Record<string, string>).Authorization;
    seen.push(`${init.method} ${url} ${auth}`);
    if (auth !== `Bearer ${token}`) return json(401, { title: 'Upload link not valid', status: 401, detail: 'not valid' });
    const body = init.body ? (JSON.parse(init.body as string) as Record<string, unknown>) : {};
    const m = /^\/api\/v1\/uploads(?:\/([^/]+))?(?:\/(parts\/sign|parts\/(\d+)|complete))?$/.exec(url);
    const videoId = m?.[1] ?? '';
    try {
      if (init.method === 'POST' && !videoId) return json(201, await server.create(body as never));
      if (init.method === 'GET') return json(200, await server.status(videoId));
      if (m?.[2] === 'parts/sign') return json(200, await server.sign(videoId, body.partNumbers as number[]));
      if (m?.[3]) {
        await server.recordPart(videoId, Number(m[3]), body.etag as string, body.size as number);
        return new Response(null, { status: 204 });
      }
      if (m?.[2] === 'complete') return json(202, await server.complete(videoId));
      await server.abort(videoId);
      return new Response(null, { status: 204 });
    } catch (e) {
      const status = (e as { status?: number }).status ?? 500;
      return json(status, { title: 'Error', status, detail: String(e) });
    }
  };
  return { fetchFn, seen };
}

describe('UploadManager with an upload link', () => {
  it('uploads with the token, and after a reload resumes the same upload from the token\'s own records', async () => {
    const token = 'du_link-one';
    const key = await resumeKeyForToken(token);
    const server = new FakeServer();
    const store = new MemoryResumeStore();
    const http = protocolOverHttp(server, token);
    const make = () => {
      const transport = new FakeTransport();
      const manager = new UploadManager({
        server: credentialUploadServer({ credential: () => token, fetchFn: http.fetchFn }),
        transport, store, clock: new FakeClock(), connectivity: new FakeConnectivity(), random: () => 0.5, progressThrottleMs: 0,
      });
      return { manager, transport };
    };
    const item = (m: UploadManager) => m.getState().items[0]!;

    const first = make();
    await first.manager.setUser(key);
    let okLeft = 2;
    first.transport.fallback = (call, signal) => (okLeft-- > 0 ? { status: 200, etag: `"e${call.partNumber}"`, body: '' } : hangUntilAborted(call, signal));
    const bytes = makeBytes(50);
    first.manager.addFiles([new FakeFile('clip.mp4', bytes, 7)]);
    first.manager.startAll();
    await until(() => item(first.manager).partsDone === 2, 'two parts');
    first.manager.pause(item(first.manager).id); // the page goes away

    // Another link (or a signed-in account) on this browser does not see that upload.
    const other = make();
    await other.manager.setUser(await resumeKeyForToken('du_link-two'));
    expect(other.manager.getState().items).toEqual([]);

    const second = make();
    await second.manager.setUser(key);
    expect(second.manager.getState().items).toMatchObject([{ status: 'needs_file', fileName: 'clip.mp4', partsDone: 2 }]);
    second.manager.addFiles([new FakeFile('clip.mp4', bytes, 7)]);
    await until(() => item(second.manager).status === 'done', 'done');
    expect(second.transport.puts.map((p) => p.partNumber).sort()).toEqual([3, 4, 5]);
    expect(server.calls.filter((c) => c === 'create')).toHaveLength(1);
    expect(http.seen.every((s) => s.endsWith(`Bearer ${token}`))).toBe(true);
    expect(await store.list(key)).toEqual([]);
  });
});
