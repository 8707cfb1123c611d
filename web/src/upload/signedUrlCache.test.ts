import { describe, expect, it } from 'vitest';
import type { SignedPart } from '../api/types';
import { SignedUrlCache } from './signedUrlCache';

describe('SignedUrlCache', () => {
  it('signs lazily in a batch with the upcoming parts and reuses the URLs', async () => {
    const calls: number[][] = [];
    const cache = new SignedUrlCache(async (numbers) => {
      calls.push(numbers);
      return numbers.map((n): SignedPart => ({ partNumber: n, url: `u${n}`, expiresAt: '2999-01-01T00:00:00Z' }));
    }, () => 0);
    expect(await cache.get(1, [2, 3])).toBe('u1');
    expect(await cache.get(2, [3, 4])).toBe('u2');
    expect(calls).toEqual([[1, 2, 3]]);
    expect(await cache.get(4, [])).toBe('u4');
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it('shares one sign call between concurrent requests', async () => {
    let calls = 0;
    const cache = new SignedUrlCache(async (numbers) => {
      calls++;
      await new Promise((r) => setTimeout(r, 2));
      return numbers.map((n) => ({ partNumber: n, url: `u${n}`, expiresAt: '2999-01-01T00:00:00Z' }));
    }, () => 0);
    const urls = await Promise.all([cache.get(1, [2, 3, 4]), cache.get(2, [3, 4]), cache.get(3, [4])]);
    expect(urls).toEqual(['u1', 'u2', 'u3']);
    expect(calls).toBe(1);
  });

  it('re-signs URLs close to expiry and after invalidate', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    let sig = 0;
    const cache = new SignedUrlCache(async (numbers) => {
      sig++;
      return numbers.map((n) => ({ partNumber: n, url: `u${n}-${sig}`, expiresAt: new Date(now + 120_000).toISOString() }));
    }, () => now, 60_000);
    expect(await cache.get(1)).toBe('u1-1');
    now += 30_000;
    expect(await cache.get(1)).toBe('u1-1');
    now += 31_000; // 59 s left: inside the margin
    expect(await cache.get(1)).toBe('u1-2');
    cache.invalidate(1);
    expect(await cache.get(1)).toBe('u1-3');
  });

  it('prefetches missing URLs in the background: once enough are missing, in bounded batches, shared with get', async () => {
    const calls: number[][] = [];
    const cache = new SignedUrlCache(async (numbers) => {
      calls.push(numbers);
      return numbers.map((n): SignedPart => ({ partNumber: n, url: `u${n}`, expiresAt: '2999-01-01T00:00:00Z' }));
    }, () => 0);
    cache.prefetch([1, 2, 3, 4, 5, 6, 7, 8], 4, 5);
    expect(calls).toEqual([[1, 2, 3, 4, 5]]);
    // parts 1-5 are pending: get waits for that call instead of signing again
    expect(await cache.get(3, [4, 5, 6])).toBe('u3');
    expect(calls).toEqual([[1, 2, 3, 4, 5]]);
    cache.prefetch([4, 5, 6, 7, 8], 4, 5); // only 6, 7, 8 lack a URL: fewer than 4, nothing to do yet
    expect(calls.length).toBe(1);
    cache.prefetch([4, 5, 6, 7, 8, 9, 10, 11, 12, 13], 4, 5);
    expect(calls.at(-1)).toEqual([6, 7, 8, 9, 10]);
    expect(await cache.get(10)).toBe('u10');
    expect(calls.length).toBe(2);
  });

  it('drops a failed prefetch: get signs the part itself and reports its own failure', async () => {
    let fail = true;
    const calls: number[][] = [];
    const cache = new SignedUrlCache(async (numbers) => {
      calls.push(numbers);
      if (fail) throw new Error('sign failed');
      return numbers.map((n): SignedPart => ({ partNumber: n, url: `u${n}`, expiresAt: '2999-01-01T00:00:00Z' }));
    }, () => 0);
    cache.prefetch([1, 2]);
    await expect(cache.get(1)).rejects.toThrow('sign failed');
    fail = false;
    expect(await cache.get(2)).toBe('u2');
    expect(calls).toEqual([[1, 2], [1], [2]]);
  });
});
