// The browser side of web/bench/resume.mjs: start an upload, be reloaded half way, resume with the same file.
// Three uploaders, each with its own way of surviving a reload:
//  - ours: the SPA's engine; its IndexedDB record lists the upload after the reload, picking the same file
//    again resumes it (the server's part table says what is stored);
//  - uppy: @uppy/core + @uppy/aws-s3 5.x at its defaults on our API + @uppy/golden-retriever, which keeps the
//    multipart upload's state in localStorage; a 500 MB file is too big for its IndexedDB blob cache (10 MiB),
//    so the file comes back as a "ghost", is added again and the upload confirmed, as its Dashboard does;
//  - tus: tus-js-client against the bench's @tus/server + @tus/s3-store (?tus=<endpoint>), which keeps the
//    upload URL per file fingerprint in localStorage; findPreviousUploads → resumeFromPreviousUpload.
// window.resumeBench: reset(), start(kind, opts) (returns once the upload is under way), resume(kind, opts)
// (resolves when it is complete: { videoId } or { uploadUrl }).
import Uppy from '@uppy/core';
import type { UppyFile, Meta, Body } from '@uppy/core';
import AwsS3 from '@uppy/aws-s3';
import GoldenRetriever from '@uppy/golden-retriever';
import * as tus from 'tus-js-client';
import { api, uploads } from '../../src/api';
import { IndexedDbResumeStore, UploadManager, XhrTransport } from '../../src/upload';

type Kind = 'ours' | 'uppy' | 'tus';
interface Opts {
  concurrency: number;
  partSize: number;
}
interface Done {
  videoId?: string;
  uploadUrl?: string;
}

const input = document.getElementById('file') as HTMLInputElement;
const picked = (): File => {
  const f = input.files?.[0];
  if (!f) throw new Error('no file picked');
  return f;
};
const contentType = (f: File) => f.type || 'video/mp4';
const tusEndpoint = new URLSearchParams(location.search).get('tus');

/** Forgets every upload the page remembers (IndexedDB, localStorage), so a leg never resumes an earlier one. */
async function reset(): Promise<void> {
  localStorage.clear();
  const dbs = await indexedDB.databases();
  await Promise.all(dbs.map((d) => new Promise<void>((resolve) => {
    if (!d.name) return resolve();
    const r = indexedDB.deleteDatabase(d.name);
    r.onsuccess = r.onerror = r.onblocked = () => resolve();
  })));
}

// ours

async function oursManager(concurrency: number): Promise<UploadManager> {
  const me = await api.get<{ id: string }>('/api/v1/me');
  const manager = new UploadManager({ server: uploads, transport: new XhrTransport(), store: new IndexedDbResumeStore(), concurrency });
  await manager.setUser(me.id);
  return manager;
}

function oursFinished(manager: UploadManager, id: string): Promise<Done> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const item = manager.getState().items.find((i) => i.id === id);
      if (!item) return;
      if (item.status === 'done' && item.videoId) { unsubscribe(); resolve({ videoId: item.videoId }); }
      if (['error', 'cancelled', 'paused', 'needs_file'].includes(item.status)) { unsubscribe(); reject(new Error(`our upload ended ${item.status}: ${item.error}`)); }
    };
    const unsubscribe = manager.subscribe(check);
    check();
  });
}

async function oursStart(o: Opts): Promise<void> {
  const manager = await oursManager(o.concurrency);
  const { added, rejected } = manager.addFiles([picked()]);
  if (!added[0]) throw new Error(`the engine refused the file: ${rejected.map((r) => r.reason).join('; ')}`);
  manager.start(added[0]);
}

async function oursResume(o: Opts): Promise<Done> {
  const manager = await oursManager(o.concurrency);
  const listed = manager.getState().items;
  if (listed.length !== 1 || listed[0]?.status !== 'needs_file') throw new Error(`after the reload the engine lists ${JSON.stringify(listed.map((i) => i.status))}, expected one needs_file`);
  // picking the same file again is what resumes it (the item matches by fingerprint and starts at once)
  const { added, rejected } = manager.addFiles([picked()]);
  if (added[0] !== listed[0].id) throw new Error(`the re-picked file did not resume the listed upload: ${rejected.map((r) => r.reason).join('; ')}`);
  return oursFinished(manager, added[0]);
}

// Uppy + Golden Retriever

function makeUppy(partSize: number): Uppy<Meta, Body> {
  const u = new Uppy<Meta, Body>({ id: 'resume-bench', autoProceed: false });
  u.use(AwsS3, {
    shouldUseMultipart: true,
    getChunkSize: () => partSize,
    createMultipartUpload: async (f) => {
      const file = picked();
      const session = await uploads.create({ fileName: f.name ?? file.name, size: f.size ?? file.size, contentType: contentType(file), title: 'uppy resume bench' });
      if (session.partSize !== partSize) throw new Error(`the API chose ${session.partSize} B parts, Uppy cuts ${partSize}`);
      return { uploadId: session.videoId, key: session.videoId };
    },
    signPart: async (_f, { uploadId, partNumber }) => {
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
  u.use(GoldenRetriever, { serviceWorker: false });
  // Our API learns of a part when the client records it; Uppy reports each part as it is uploaded. The upload
  // id comes from the file's own state, which Golden Retriever restores after a reload.
  const recordings: Promise<void>[] = [];
  u.on('s3-multipart:part-uploaded', (f, part) => {
    const videoId = (f as UppyFile<Meta, Body> & { s3Multipart?: { uploadId?: string } }).s3Multipart?.uploadId;
    const size = f.size ?? picked().size;
    if (!videoId || !part.PartNumber || !part.ETag) return;
    recordings.push(uploads.recordPart(videoId, part.PartNumber, part.ETag, Math.min(partSize, size - (part.PartNumber - 1) * partSize)));
  });
  return u;
}

async function uppyStart(o: Opts): Promise<void> {
  const u = makeUppy(o.partSize);
  const file = picked();
  u.addFile({ name: file.name, type: contentType(file), data: file, source: 'bench' });
  void u.upload();
}

async function uppyResume(o: Opts): Promise<Done> {
  const u = makeUppy(o.partSize);
  // Golden Retriever restores asynchronously from localStorage on install
  for (let i = 0; i < 100 && !u.getFiles().length; i++) await new Promise((r) => setTimeout(r, 20));
  const restored = u.getFiles();
  if (restored.length !== 1) throw new Error(`Golden Retriever restored ${restored.length} files`);
  const file = picked();
  // the same file again turns the ghost back into a file (same id); confirming resumes the upload
  u.addFile({ name: file.name, type: contentType(file), data: file, source: 'bench' });
  const done = new Promise<Done>((resolve, reject) => {
    u.on('complete', (result) => {
      const f = u.getFiles()[0] as (UppyFile<Meta, Body> & { s3Multipart?: { uploadId?: string } }) | undefined;
      if (result?.failed?.length) reject(new Error(`Uppy: ${result.failed.map((x) => String(x.error)).join('; ')}`));
      else resolve({ videoId: f?.s3Multipart?.uploadId ?? restored[0]?.id });
    });
    u.on('upload-error', (_f, error) => reject(error));
  });
  u.emit('restore-confirmed');
  return done;
}

// tus

function tusUpload(file: File, onSuccess: () => void, onError: (e: Error) => void): tus.Upload {
  if (!tusEndpoint) throw new Error('no ?tus= endpoint');
  return new tus.Upload(file, {
    endpoint: tusEndpoint,
    metadata: { filename: file.name, filetype: contentType(file) },
    // one PATCH streaming the rest of the file (tus-js-client's default, the one its docs recommend)
    retryDelays: [0, 1000, 3000],
    onSuccess,
    onError,
  });
}

let tusRunning: tus.Upload | null = null;

async function tusStart(): Promise<void> {
  tusRunning = tusUpload(picked(), () => undefined, (e) => console.error('tus', e));
  tusRunning.start();
}

async function tusResume(): Promise<Done> {
  return new Promise<Done>((resolve, reject) => {
    let upload: tus.Upload;
    try {
      upload = tusUpload(picked(), () => resolve({ uploadUrl: upload.url ?? undefined }), reject);
    } catch (e) { reject(e); return; }
    void upload.findPreviousUploads().then((previous) => {
      if (previous.length !== 1 || !previous[0]) { reject(new Error(`tus-js-client found ${previous.length} previous uploads`)); return; }
      upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    }, reject);
  });
}

const start = (kind: Kind, o: Opts) => (kind === 'ours' ? oursStart(o) : kind === 'uppy' ? uppyStart(o) : tusStart());
const resume = (kind: Kind, o: Opts) => (kind === 'ours' ? oursResume(o) : kind === 'uppy' ? uppyResume(o) : tusResume());

(window as unknown as { resumeBench: unknown }).resumeBench = { reset, start, resume };
document.title += ' (ready)';
