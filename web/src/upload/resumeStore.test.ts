import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IndexedDbResumeStore, MemoryResumeStore } from './resumeStore';
import type { ResumeRecord, ResumeStore } from './types';

function record(userId: string, fingerprint: string, createdAt: number): ResumeRecord {
  return {
    userId, fingerprint, videoId: `v-${fingerprint}`, fileName: 'a.mp4', size: 30, lastModified: 1, contentType: 'video/mp4',
    title: 'a', maxQuality: 1080, mode: 'multipart', partSize: 10, partCount: 3,
    parts: [{ partNumber: 1, etag: '"e1"', size: 10 }], createdAt, updatedAt: createdAt,
  };
}

describe.each<[string, () => ResumeStore]>([
  ['IndexedDbResumeStore', () => new IndexedDbResumeStore(indexedDB, `test-${Math.random()}`)],
  ['MemoryResumeStore', () => new MemoryResumeStore()],
])('%s', (_name, make) => {
  it('stores records per user and fingerprint', async () => {
    const store = make();
    await store.put(record('alice', 'b|30|1', 2));
    await store.put(record('alice', 'a|30|1', 1));
    await store.put(record('bob', 'a|30|1', 3));
    expect((await store.list('alice')).map((r) => r.fingerprint)).toEqual(['a|30|1', 'b|30|1']);
    expect((await store.get('bob', 'a|30|1'))?.createdAt).toBe(3);
    expect(await store.get('bob', 'b|30|1')).toBeUndefined();
    const updated = { ...record('alice', 'a|30|1', 1), parts: [] };
    await store.put(updated);
    expect((await store.get('alice', 'a|30|1'))?.parts).toEqual([]);
    await store.delete('alice', 'a|30|1');
    expect((await store.list('alice')).length).toBe(1);
    expect((await store.list('bob')).length).toBe(1);
  });
});
