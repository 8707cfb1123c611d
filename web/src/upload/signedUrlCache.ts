import type { SignedPart } from '../api/types';

/**
 * Signs part URLs lazily, in small batches, right before they are used (Uppy's lesson: URLs signed
 * up front expire while they wait in the queue). Concurrent requests for parts of the same batch
 * share one sign call.
 */
export class SignedUrlCache {
  private readonly urls = new Map<number, { url: string; expiresAt: number }>();
  private readonly pending = new Map<number, Promise<void>>();

  constructor(
    private readonly sign: (partNumbers: number[]) => Promise<SignedPart[]>,
    private readonly now: () => number,
    /** A URL this close to expiry is signed again instead of risking a 403 mid-transfer. */
    private readonly marginMs = 60_000,
  ) {}

  seed(partNumber: number, url: string, expiresAt: string): void {
    this.urls.set(partNumber, { url, expiresAt: Date.parse(expiresAt) });
  }

  invalidate(partNumber: number): void {
    this.urls.delete(partNumber);
  }

  /**
   * URL for `partNumber`; when it must be signed, `upcoming` (the next parts in queue order) are
   * signed in the same call so the batch covers the parts about to start.
   */
  async get(partNumber: number, upcoming: number[] = []): Promise<string> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const fresh = this.fresh(partNumber);
      if (fresh) return fresh;
      const inFlight = this.pending.get(partNumber);
      if (inFlight) {
        await inFlight;
        continue;
      }
      const batch = [partNumber, ...upcoming.filter((n) => n !== partNumber && !this.fresh(n) && !this.pending.has(n))];
      const call = this.sign(batch).then((signed) => {
        for (const s of signed) this.seed(s.partNumber, s.url, s.expiresAt);
      });
      const settled = call.finally(() => {
        for (const n of batch) this.pending.delete(n);
      });
      for (const n of batch) this.pending.set(n, settled.catch(() => undefined));
      await settled;
    }
    const url = this.fresh(partNumber);
    if (!url) throw new Error(`The server did not sign part ${partNumber}.`);
    return url;
  }

  /**
   * Signs, in the background, the parts of `ahead` (the next parts in queue order) that have no URL
   * yet, once at least `minMissing` of them lack one, at most `maxBatch` per call. Called as each part
   * starts, it keeps URLs a few parts ahead of the PUTs, so no PUT waits for a sign round trip (which
   * on a busy API is tens to hundreds of milliseconds with the pipe idle), while batches stay small
   * and URLs are still signed only shortly before use. A failure is dropped: `get` signs again and
   * reports it.
   */
  prefetch(ahead: number[], minMissing = 1, maxBatch = ahead.length): void {
    const missing = ahead.filter((n) => !this.fresh(n) && !this.pending.has(n));
    if (missing.length === 0 || missing.length < minMissing) return;
    const batch = missing.slice(0, Math.max(1, maxBatch));
    const settled = this.sign(batch)
      .then((signed) => {
        for (const s of signed) this.seed(s.partNumber, s.url, s.expiresAt);
      })
      .catch(() => undefined)
      .finally(() => {
        for (const n of batch) this.pending.delete(n);
      });
    for (const n of batch) this.pending.set(n, settled);
  }

  private fresh(partNumber: number): string | null {
    const entry = this.urls.get(partNumber);
    if (!entry) return null;
    // An unparsable expiry is treated as fresh: the storage's 403 "expired" still triggers a re-sign.
    if (Number.isFinite(entry.expiresAt) && entry.expiresAt - this.now() < this.marginMs) return null;
    return entry.url;
  }
}
