// The browser legs of web/bench/upload-peers.mjs: ways to upload the picked file through our API to the same storage.
//  - ours: the SPA's engine (web/src/upload: UploadManager + XhrTransport + IndexedDB resume store), unchanged,
//    with its `concurrency` option set by the bench (the app ships the default, 4);
//  - uppy: @uppy/core + @uppy/aws-s3 5.x (multipart), its callbacks on our API, the same part size; at its
//    defaults (limit 6, one signPart request per part) or tuned (signPart answered from URLs signed in batches
//    ahead of use, so Uppy's limit is spent on PUTs); each part is recorded as Uppy reports it uploaded;
//  - raw:  the protocol's floor: one create, every part URL signed up front, `concurrency` plain
//    XMLHttpRequest PUTs of Blob.slice parts, records fired without waiting, then complete.
// Every XMLHttpRequest PUT of the page is counted while in flight, so each leg reports the most PUTs it had
// on the wire at once: the proof that the configured limit is what limits it.
// Each resolves { ms (start → complete answered), partsMs (first part PUT sent → last part recorded), maxInFlight, videoId }.
import Uppy from '@uppy/core';
import AwsS3 from '@uppy/aws-s3';
import { api, uploads } from '../../src/api';
import type { UploadCreated } from '../../src/api';
import { IndexedDbResumeStore, MemoryResumeStore, UploadManager, XhrTransport } from '../../src/upload';
import type { PartTransport, PutResult } from '../../src/upload/types';

interface LegResult {
  ms: number;
  partsMs: number | null;
  videoId: string;
  maxInFlight?: number;
  limit?: number;
}

/** PUTs in flight in this page, and the most at once since the last reset. */
const puts = { inFlight: 0, max: 0 };
const methods = new WeakMap<XMLHttpRequest, string>();
const open = XMLHttpRequest.prototype.open as (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) => void;
XMLHttpRequest.prototype.open = function patchedOpen(this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
  methods.set(this, method.toUpperCase());
  return open.call(this, method, url, ...rest);
} as typeof XMLHttpRequest.prototype.open;
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function patchedSend(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
  if (methods.get(this) === 'PUT') {
    puts.inFlight++;
    puts.max = Math.max(puts.max, puts.inFlight);
    // readyState DONE comes before `load`, whose handlers may already send the next PUT (loadend would count it twice)
    let pending = true;
    const done = () => {
      if (pending && this.readyState === XMLHttpRequest.DONE) { pending = false; puts.inFlight--; }
    };
    this.addEventListener('readystatechange', done);
    this.addEventListener('loadend', done);
  }
  return send.call(this, body);
};
/** Runs a leg with the PUT counter reset, adding the most PUTs it had in flight at once. */
async function counted<T extends LegResult>(leg: () => Promise<T>): Promise<T> {
  puts.max = puts.inFlight;
  const r = await leg();
  return { ...r, maxInFlight: puts.max };
}

const input = document.getElementById('file') as HTMLInputElement;
const picked = (): File => {
  const f = input.files?.[0];
  if (!f) throw new Error('no file picked');
  return f;
};
const contentType = (f: File) => f.type || 'video/mp4';

/** Diagnostics only (never the measured "ours"): the same engine with an in-memory resume store or without progress events. */
interface OursVariant {
  memoryStore?: boolean;
  noProgress?: boolean;
}

/** XhrTransport without the upload progress listener (which makes the browser send progress events): what they cost. */
class NoProgressTransport implements PartTransport {
  put(url: string, body: Blob, _onProgress: (loaded: number) => void, signal: AbortSignal): Promise<PutResult> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const onAbort = () => xhr.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      xhr.open('PUT', url, true);
      xhr.onload = () => resolve({ status: xhr.status, etag: xhr.getResponseHeader('ETag'), body: xhr.responseText });
      xhr.onerror = () => resolve({ status: 0, etag: null, body: '' });
      xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
      xhr.send(body);
    });
  }
}

async function ours(concurrency: number, variant: OursVariant = {}): Promise<LegResult> {
  const file = picked();
  const me = await api.get<{ id: string }>('/api/v1/me');
  const manager = new UploadManager({
    server: uploads,
    transport: variant.noProgress ? new NoProgressTransport() : new XhrTransport(),
    store: variant.memoryStore ? new MemoryResumeStore() : new IndexedDbResumeStore(),
    concurrency,
  });
  await manager.setUser(me.id);
  const marks: Record<string, number> = {};
  const t0 = performance.now();
  const { added, rejected } = manager.addFiles([file]);
  const id = added[0];
  if (!id) throw new Error(`the engine refused the file: ${rejected.map((r) => r.reason).join('; ')}`);
  const finished = new Promise<{ status: string; videoId: string | null; error: string | null }>((resolve) => {
    const unsubscribe = manager.subscribe((s) => {
      const item = s.items.find((i) => i.id === id);
      if (!item) return;
      marks[item.status] ??= performance.now();
      if (['done', 'error', 'cancelled', 'paused'].includes(item.status)) {
        unsubscribe();
        resolve(item);
      }
    });
  });
  manager.start(id);
  const item = await finished;
  const ms = performance.now() - t0;
  if (item.status !== 'done' || !item.videoId) throw new Error(`our upload ended ${item.status}: ${item.error}`);
  const partsMs = marks.uploading !== undefined && marks.completing !== undefined ? marks.completing - marks.uploading : null;
  return { ms, partsMs, videoId: item.videoId };
}

/** Uppy at its defaults, or tuned: `limit` set and signPart answered from batches signed ahead. */
interface UppyConfig {
  limit?: number;
  batchSign?: boolean;
}

/**
 * signPart from a cache filled in batches of 2 × limit parts through our API's batch sign call, the next
 * batch requested once a part of the current one is asked for: what a site does when one sign request per
 * part (Uppy's default) holds a slot of its limit for an API round trip per part.
 */
function batchSigner(videoId: () => string, partCount: () => number, batch: number) {
  const urls = new Map<number, Promise<string>>();
  const request = (from: number) => {
    if (from > partCount() || urls.has(from)) return;
    const numbers = Array.from({ length: Math.min(batch, partCount() - from + 1) }, (_, i) => from + i);
    const signed = uploads.sign(videoId(), numbers);
    for (const n of numbers) {
      urls.set(n, signed.then((all) => {
        const url = all.find((p) => p.partNumber === n)?.url;
        if (!url) throw new Error(`no URL for part ${n}`);
        return url;
      }));
    }
  };
  return (partNumber: number): Promise<string> => {
    const start = Math.floor((partNumber - 1) / batch) * batch + 1;
    request(start);
    request(start + batch);
    return urls.get(partNumber) as Promise<string>;
  };
}

async function uppy(partSize: number, config: UppyConfig): Promise<LegResult> {
  const file = picked();
  let session: UploadCreated | null = null;
  const recordings: Promise<void>[] = [];
  let firstPart: number | null = null;
  let lastRecorded = 0;
  const partBytes = (n: number) => Math.min(partSize, file.size - (n - 1) * partSize);
  const u = new Uppy({ autoProceed: false });
  const signed = batchSigner(() => (session as UploadCreated | null)?.videoId ?? '', () => (session as UploadCreated | null)?.partCount ?? 0, 2 * (config.limit ?? 6));
  u.use(AwsS3, {
    // our API decides multipart (the bench checks it does for this size); not a tuning
    shouldUseMultipart: true,
    ...(config.limit !== undefined ? { limit: config.limit } : {}),
    // the server's part size: the API records parts of that size
    getChunkSize: () => partSize,
    createMultipartUpload: async (f) => {
      session = await uploads.create({ fileName: f.name ?? file.name, size: f.size ?? file.size, contentType: contentType(file), title: 'uppy bench' });
      if (session.partSize !== partSize) throw new Error(`the API chose ${session.partSize} B parts, Uppy cuts ${partSize}`);
      return { uploadId: session.videoId, key: session.videoId };
    },
    signPart: async (_f, { uploadId, partNumber }) => {
      firstPart ??= performance.now();
      if (config.batchSign) return { method: 'PUT', url: await signed(partNumber) };
      const [one] = await uploads.sign(uploadId, [partNumber]);
      if (!one) throw new Error(`no URL for part ${partNumber}`);
      return { method: 'PUT', url: one.url };
    },
    listParts: async (_f, { uploadId }) => {
      const status = await uploads.status(uploadId as string);
      return status.parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag, Size: p.size }));
    },
    abortMultipartUpload: async (_f, { uploadId }) => {
      await uploads.abort(uploadId as string);
    },
    completeMultipartUpload: async (_f, { uploadId }) => {
      await Promise.all(recordings);
      await uploads.complete(uploadId);
      return { location: uploadId };
    },
  });
  u.on('s3-multipart:part-uploaded', (_f, part) => {
    const videoId = session?.videoId;
    if (!videoId) return;
    recordings.push(uploads.recordPart(videoId, part.PartNumber, part.ETag, partBytes(part.PartNumber)).then(() => {
      lastRecorded = performance.now();
    }));
  });
  const limit = (u.getPlugin('AwsS3Multipart') as unknown as { opts: { limit: number } } | undefined)?.opts.limit;
  const t0 = performance.now();
  u.addFile({ name: file.name, type: contentType(file), data: file, source: 'bench' });
  const result = await u.upload();
  const ms = performance.now() - t0;
  u.destroy();
  if (!result || result.failed?.length || !session) throw new Error(`Uppy upload failed: ${result?.failed?.map((f) => String(f.error)).join('; ') ?? 'no result'}`);
  return { ms, partsMs: firstPart === null ? null : lastRecorded - firstPart, videoId: (session as UploadCreated).videoId, limit };
}

function xhrPut(url: string, body: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('PUT', url);
    x.onload = () => {
      const etag = x.getResponseHeader('ETag');
      if (x.status >= 200 && x.status < 300 && etag) resolve(etag);
      else reject(new Error(`PUT → HTTP ${x.status}`));
    };
    x.onerror = () => reject(new Error('PUT: network error'));
    x.send(body);
  });
}

async function raw(concurrency: number): Promise<LegResult & { putsMs: number }> {
  const file = picked();
  const t0 = performance.now();
  const s = await uploads.create({ fileName: file.name, size: file.size, contentType: contentType(file), title: 'raw bench' });
  const numbers = Array.from({ length: s.partCount }, (_, i) => i + 1);
  const urls = new Map<number, string>();
  for (let i = 0; i < numbers.length; i += 100) {
    for (const p of await uploads.sign(s.videoId, numbers.slice(i, i + 100))) urls.set(p.partNumber, p.url);
  }
  const queue = [...numbers];
  const records: Promise<void>[] = [];
  const tParts = performance.now();
  const lane = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const body = file.slice((n - 1) * s.partSize, Math.min(file.size, n * s.partSize));
      const etag = await xhrPut(urls.get(n) as string, body);
      records.push(uploads.recordPart(s.videoId, n, etag, body.size));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, numbers.length) }, lane));
  const putsMs = performance.now() - tParts;
  await Promise.all(records);
  const partsMs = performance.now() - tParts;
  await uploads.complete(s.videoId);
  return { ms: performance.now() - t0, partsMs, putsMs, videoId: s.videoId };
}

(window as unknown as { bench: unknown }).bench = {
  ours: (concurrency: number, variant?: OursVariant) => counted(() => ours(concurrency, variant)),
  uppy: (partSize: number, config: UppyConfig) => counted(() => uppy(partSize, config)),
  raw: (concurrency: number) => counted(() => raw(concurrency)),
};
document.title += ' (ready)';
