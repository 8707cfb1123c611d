// Three ways to upload the picked file through our API to the same storage, for web/bench/peers.mjs:
//  - ours: the SPA's engine (web/src/upload: UploadManager + XhrTransport + IndexedDB resume store), unchanged;
//  - uppy: @uppy/core + @uppy/aws-s3 (multipart), its callbacks on our API, the same part size and
//    requests in flight; each part is recorded as Uppy reports it uploaded (the earliest it can be);
//  - raw:  the protocol's floor: one create, every part URL signed in one call, `concurrency` plain
//    XMLHttpRequest PUTs of Blob.slice parts, records fired without waiting, then complete.
// Each resolves { ms (start → complete answered), partsMs (first part PUT sent → last part recorded), videoId }.
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

async function ours(variant: OursVariant = {}): Promise<LegResult> {
  const file = picked();
  const me = await api.get<{ id: string }>('/api/v1/me');
  const manager = new UploadManager({
    server: uploads,
    transport: variant.noProgress ? new NoProgressTransport() : new XhrTransport(),
    store: variant.memoryStore ? new MemoryResumeStore() : new IndexedDbResumeStore(),
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

async function uppy(partSize: number, concurrency: number): Promise<LegResult> {
  const file = picked();
  let session: UploadCreated | null = null;
  const recordings: Promise<void>[] = [];
  let firstPart: number | null = null;
  let lastRecorded = 0;
  const partBytes = (n: number) => Math.min(partSize, file.size - (n - 1) * partSize);
  const u = new Uppy({ autoProceed: false });
  u.use(AwsS3, {
    shouldUseMultipart: true,
    limit: concurrency,
    getChunkSize: () => partSize,
    createMultipartUpload: async (f) => {
      session = await uploads.create({ fileName: f.name ?? file.name, size: f.size ?? file.size, contentType: contentType(file), title: 'uppy bench' });
      if (session.partSize !== partSize) throw new Error(`the API chose ${session.partSize} B parts, Uppy cuts ${partSize}`);
      return { uploadId: session.videoId, key: session.videoId };
    },
    signPart: async (_f, { uploadId, partNumber }) => {
      firstPart ??= performance.now();
      const [signed] = await uploads.sign(uploadId, [partNumber]);
      if (!signed) throw new Error(`no URL for part ${partNumber}`);
      return { method: 'PUT', url: signed.url };
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
  const t0 = performance.now();
  u.addFile({ name: file.name, type: contentType(file), data: file, source: 'bench' });
  const result = await u.upload();
  const ms = performance.now() - t0;
  u.destroy();
  if (!result || result.failed?.length || !session) throw new Error(`Uppy upload failed: ${result?.failed?.map((f) => String(f.error)).join('; ') ?? 'no result'}`);
  return { ms, partsMs: firstPart === null ? null : lastRecorded - firstPart, videoId: (session as UploadCreated).videoId };
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

(window as unknown as { bench: unknown }).bench = { ours, uppy, raw };
document.title += ' (ready)';
