import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { credentialUploadServer, resumeKeyForToken } from './credentialServer';
import { IndexedDbResumeStore } from './resumeStore';
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
