import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { MemoryResumeStore } from './resumeStore';
import {
  FakeClock,
  FakeConnectivity,
  FakeFile,
  FakeHandle,
  FakeServer,
  FakeTransport,
  hangUntilAborted,
  makeBytes,
  until,
} from './testFakes';
import { UploadManager } from './uploadManager';

function setup(options: { store?: MemoryResumeStore; server?: FakeServer; concurrency?: number } = {}) {
  const server = options.server ?? new FakeServer();
  const transport = new FakeTransport();
  const store = options.store ?? new MemoryResumeStore();
  const clock = new FakeClock();
  const connectivity = new FakeConnectivity();
  const manager = new UploadManager({
    server, transport, store, clock, connectivity, random: () => 0.5, progressThrottleMs: 0, concurrency: options.concurrency,
  });
  return { server, transport, store, clock, connectivity, manager };
}

const item = (m: UploadManager, i = 0) => {
  const it = m.getState().items[i];
  if (!it) throw new Error('no item');
  return it;
};

/** Reassembles what storage received for a video, part by part (last successful PUT wins). */
function received(transport: FakeTransport, videoId: string): Uint8Array {
  const parts = new Map<number, Uint8Array>();
  for (const p of transport.puts) if (p.videoId === videoId) parts.set(p.partNumber, p.bytes);
  const ordered = [...parts.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  const out = new Uint8Array(ordered.reduce((s, b) => s + b.length, 0));
  let offset = 0;
  for (const b of ordered) {
    out.set(b, offset);
    offset += b.length;
  }
  return out;
}

describe('UploadManager', () => {
  it('uploads a multipart file with at most 4 parts in flight, records every part and completes', async () => {
    const { server, transport, store, manager } = setup();
    await manager.setUser('alice');
    const file = new FakeFile('clip.mp4', makeBytes(95)); // 10 parts of 10 bytes (last: 5)
    const { added, rejected } = manager.addFiles([file], { maxQuality: 720 });
    expect(rejected).toEqual([]);
    expect(item(manager).status).toBe('staged');
    manager.start(added[0] ?? '');
    await until(() => item(manager).status === 'done', 'done');

    const videoId = item(manager).videoId ?? '';
    expect(server.sessions.get(videoId)?.req).toMatchObject({ fileName: 'clip.mp4', size: 95, maxQuality: 720, title: 'clip' });
    expect(transport.maxInFlight).toBeLessThanOrEqual(4);
    expect(transport.maxInFlight).toBeGreaterThan(1);
    expect(received(transport, videoId)).toEqual(file.bytes);
    expect(server.sessions.get(videoId)?.parts.size).toBe(10);
    expect(server.sessions.get(videoId)?.parts.get(3)).toEqual({ etag: '"etag-3"', size: 10 });
    expect(server.completed).toEqual([videoId]);
    // URLs were signed lazily in small batches, never all at once.
    expect(Math.max(...server.signCalls.map((c) => c.length))).toBeLessThanOrEqual(5);
    expect(await store.list('alice')).toEqual([]);
    expect(item(manager)).toMatchObject({ bytesSent: 95, bytesAcknowledged: 95, partsDone: 10 });
  });

  it('creates the video with the visibility chosen on the row (unlisted unless changed)', async () => {
    const { server, manager } = setup();
    await manager.setUser('alice');
    const { added } = manager.addFiles([new FakeFile('a.mp4', makeBytes(15)), new FakeFile('b.mp4', makeBytes(15))]);
    expect(item(manager, 0).visibility).toBe('unlisted');
    manager.update(added[1] ?? '', { visibility: 'private' });
    for (const id of added) manager.start(id);
    await until(() => manager.getState().items.every((i) => i.status === 'done'), 'both done');
    // Once started the choice is fixed: a late update changes nothing.
    manager.update(added[1] ?? '', { visibility: 'public' });
    expect(server.sessions.get(item(manager, 0).videoId ?? '')?.req).toMatchObject({ fileName: 'a.mp4', visibility: 'unlisted' });
    expect(server.sessions.get(item(manager, 1).videoId ?? '')?.req).toMatchObject({ fileName: 'b.mp4', visibility: 'private' });
    expect(item(manager, 1).visibility).toBe('private');
  });

  it('folds the part records made while a local write is in flight into one write, and leaves none pending', async () => {
    // A resume store whose writes take a while (as IndexedDB's do on a busy machine): each part must not cost a write.
    class SlowStore extends MemoryResumeStore {
      writes: number[] = [];
      override async put(record: Parameters<MemoryResumeStore['put']>[0]): Promise<void> {
        this.writes.push(record.parts.length);
        await new Promise((r) => setTimeout(r, 20));
        return super.put(record);
      }
    }
    const store = new SlowStore();
    const { server, manager } = setup({ store });
    await manager.setUser('alice');
    manager.addFiles([new FakeFile('clip.mp4', makeBytes(195))]); // 20 parts
    manager.startAll();
    await until(() => item(manager).status === 'done', 'done');
    const videoId = item(manager).videoId ?? '';
    expect(server.sessions.get(videoId)?.parts.size).toBe(20);
    // the create's write, then far fewer than one write per part; the last one held every part
    expect(store.writes.length).toBeLessThan(12);
    expect(store.writes.at(-1)).toBe(20);
    expect(await store.list('alice')).toEqual([]);
  });

  it('uses the single PUT URL from create for small files', async () => {
    const { server, transport, manager } = setup();
    await manager.setUser('alice');
    manager.addFiles([new FakeFile('small.webm', makeBytes(20), 1, 'video/webm')]);
    manager.startAll();
    await until(() => item(manager).status === 'done', 'done');
    expect(transport.puts.map((p) => p.url)).toEqual(['https://s3.test/v1/1?sig=create']);
    expect(server.signCalls).toEqual([]);
  });

  it('re-signs and retries a part on 403 "expired"', async () => {
    const { server, transport, manager } = setup();
    await manager.setUser('alice');
    transport.responders.push(() => ({ status: 403, etag: null, body: '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>' }));
    manager.addFiles([new FakeFile('a.mp4', makeBytes(30))]);
    manager.startAll();
    await until(() => item(manager).status === 'done', 'done');
    const firstPart = transport.puts[0]?.partNumber;
    expect(server.signCalls.some((c) => c[0] === firstPart && c.length === 1)).toBe(true);
    expect(server.completed.length).toBe(1);
  });

  it('retries 5xx and network errors with backoff, then gives up with a readable error', async () => {
    const { clock, transport, manager } = setup();
    await manager.setUser('alice');
    transport.responders.push(() => ({ status: 503, etag: null, body: '' }), () => ({ status: 0, etag: null, body: '' }));
    manager.addFiles([new FakeFile('a.mp4', makeBytes(10))]);
    manager.startAll();
    await until(() => item(manager).status === 'done', 'done');
    expect(clock.sleeps).toEqual([500, 1000]);

    const second = setup();
    await second.manager.setUser('alice');
    second.transport.fallback = () => ({ status: 500, etag: null, body: '<Error><Code>InternalError</Code></Error>' });
    second.manager.addFiles([new FakeFile('b.mp4', makeBytes(10))]);
    second.manager.startAll();
    await until(() => item(second.manager).status === 'error', 'error');
    expect(second.clock.sleeps).toEqual([500, 1000, 2000]);
    expect(item(second.manager).error).toBe('Part 1 was refused by storage (HTTP 500): InternalError.');
    expect(second.transport.puts.length).toBe(4);
  });

  it('fails at once on a non-retryable storage answer and on a missing ETag', async () => {
    const { transport, manager } = setup();
    await manager.setUser('alice');
    transport.fallback = () => ({ status: 200, etag: null, body: '' });
    manager.addFiles([new FakeFile('a.mp4', makeBytes(10))]);
    manager.startAll();
    await until(() => item(manager).status === 'error', 'error');
    expect(item(manager).error).toMatch(/ETag/);
  });

  it('retries API 5xx answers (recording a part) with the same backoff', async () => {
    const { server, manager, clock } = setup();
    await manager.setUser('alice');
    server.failNext.record = [new ApiError(502, 'Server unreachable')];
    manager.addFiles([new FakeFile('a.mp4', makeBytes(10))]);
    manager.startAll();
    await until(() => item(manager).status === 'done', 'done');
    expect(clock.sleeps).toEqual([500]);
  });

  it('sends the next part while the previous ETag is recorded, one recording per worker at a time', async () => {
    const { server, transport, manager } = setup({ concurrency: 1 });
    await manager.setUser('alice');
    let release: () => void = () => undefined;
    server.recordGate = (n) => (n === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve());
    const file = new FakeFile('a.mp4', makeBytes(30));
    manager.addFiles([file]);
    manager.startAll();
    await until(() => transport.puts.some((p) => p.partNumber === 2), 'part 2 on the wire during the recording of part 1');
    await new Promise((r) => setTimeout(r, 10));
    // part 3 waits for part 1's recording; part 1 counts as sent, not yet as acknowledged
    expect(transport.puts.map((p) => p.partNumber)).toEqual([1, 2]);
    expect(item(manager)).toMatchObject({ bytesAcknowledged: 0, bytesSent: 20, partsDone: 0 });
    release();
    await until(() => item(manager).status === 'done', 'done');
    expect(transport.puts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(server.calls.filter((c) => c.startsWith('record:'))).toEqual(['record:1', 'record:2', 'record:3']);
    expect(received(transport, item(manager).videoId ?? '')).toEqual(file.bytes);
  });

  it('stops with the server\'s message when recording a part is refused', async () => {
    const { server, manager } = setup();
    await manager.setUser('alice');
    server.failNext.record = [new ApiError(400, 'Bad request', 'Part 1 was never signed for this upload.')];
    manager.addFiles([new FakeFile('a.mp4', makeBytes(60))]);
    manager.startAll();
    await until(() => item(manager).status === 'error', 'error');
    expect(item(manager).error).toMatch(/never signed/);
    expect(server.completed).toEqual([]);
  });

  it('pauses (aborting in-flight PUTs, keeping recorded parts) and resumes only the missing parts', async () => {
    const { server, transport, manager } = setup();
    await manager.setUser('alice');
    // Parts 1 and 2 succeed, then everything hangs until paused.
    let okLeft = 2;
    transport.fallback = (call, signal) => (okLeft-- > 0 ? { status: 200, etag: `"etag-${call.partNumber}"`, body: '' } : hangUntilAborted(call, signal));
    const file = new FakeFile('a.mp4', makeBytes(60));
    manager.addFiles([file]);
    manager.startAll();
    await until(() => item(manager).partsDone === 2 && transport.inFlight > 0, 'two parts done');
    const id = item(manager).id;
    manager.pause(id);
    await until(() => item(manager).status === 'paused', 'paused');
    expect(transport.inFlight).toBe(0);
    expect(item(manager).bytesSent).toBe(20);

    transport.fallback = (call) => ({ status: 200, etag: `"etag-${call.partNumber}"`, body: '' });
    const putsBefore = transport.puts.length;
    manager.resume(id);
    await until(() => item(manager).status === 'done', 'done');
    const resent = transport.puts.slice(putsBefore).map((p) => p.partNumber).sort();
    expect(resent).toEqual([3, 4, 5, 6]);
    const videoId = item(manager).videoId ?? '';
    expect(received(transport, videoId)).toEqual(file.bytes);
    expect(server.completed).toEqual([videoId]);
  });

  it('lists pending uploads after a reload and continues from the server parts when the file is re-picked', async () => {
    const store = new MemoryResumeStore();
    const server = new FakeServer();
    const first = setup({ store, server });
    await first.manager.setUser('alice');
    let okLeft = 3;
    first.transport.fallback = (call, signal) => (okLeft-- > 0 ? { status: 200, etag: `"etag-${call.partNumber}"`, body: '' } : hangUntilAborted(call, signal));
    const bytes = makeBytes(50);
    first.manager.addFiles([new FakeFile('a.mp4', bytes, 42)], { maxQuality: 480 });
    first.manager.startAll();
    await until(() => item(first.manager).partsDone === 3, 'three parts');
    first.manager.pause(item(first.manager).id); // the page goes away: in-flight PUTs die with it

    const second = setup({ store, server });
    await second.manager.setUser('alice');
    expect(second.manager.getState().items).toMatchObject([
      { status: 'needs_file', fileName: 'a.mp4', maxQuality: 480, partsDone: 3, bytesAcknowledged: 30 },
    ]);
    // A different file (other lastModified) does not match the pending upload.
    second.manager.addFiles([new FakeFile('a.mp4', bytes, 43)]);
    expect(second.manager.getState().items.length).toBe(2);
    second.manager.dismiss(item(second.manager, 1).id);

    second.manager.addFiles([new FakeFile('a.mp4', bytes, 42)]);
    await until(() => item(second.manager).status === 'done', 'done');
    expect(second.transport.puts.map((p) => p.partNumber).sort()).toEqual([4, 5]);
    expect(server.calls.filter((c) => c === 'create').length).toBe(1);
    expect(await store.list('alice')).toEqual([]);
  });

  /** Starts an upload of `file` picked with `handle`, lets `okParts` parts through, then "reloads the page". */
  async function interruptedWithHandle(file: FakeFile, handle: FakeHandle, okParts: number) {
    const store = new MemoryResumeStore();
    const server = new FakeServer();
    const first = setup({ store, server });
    await first.manager.setUser('alice');
    let okLeft = okParts;
    first.transport.fallback = (call, signal) => (okLeft-- > 0 ? { status: 200, etag: `"etag-${call.partNumber}"`, body: '' } : hangUntilAborted(call, signal));
    first.manager.addPicked([{ file, handle }]);
    first.manager.startAll();
    await until(() => item(first.manager).partsDone === okParts, `${okParts} parts`);
    first.manager.pause(item(first.manager).id);
    await until(() => item(first.manager).status === 'paused', 'paused');
    const second = setup({ store, server });
    await second.manager.setUser('alice');
    return { store, server, second };
  }

  it('keeps the picked file handle and resumes from it after a reload with one click', async () => {
    const file = new FakeFile('a.mp4', makeBytes(50), 42);
    const handle = new FakeHandle(file);
    const { store, server, second } = await interruptedWithHandle(file, handle, 2);
    expect((await store.list('alice'))[0]?.handle).toBe(handle);
    expect(second.manager.getState().items).toMatchObject([{ status: 'resumable', fileName: 'a.mp4', partsDone: 2 }]);

    handle.permission = 'prompt'; // a browser restart forgets the grant: the click brings the prompt
    await second.manager.resume(item(second.manager).id);
    await until(() => item(second.manager).status === 'done', 'done');
    expect(handle.requests).toBe(1);
    expect(second.transport.puts.map((p) => p.partNumber).sort()).toEqual([3, 4, 5]);
    expect(server.calls.filter((c) => c === 'create').length).toBe(1);
    const videoId = item(second.manager).videoId ?? '';
    expect(server.completed).toEqual([videoId]);
    expect(await store.list('alice')).toEqual([]);
  });

  it('falls back to re-picking when permission is refused, and keeps the handle for next time', async () => {
    const file = new FakeFile('a.mp4', makeBytes(50), 42);
    const handle = new FakeHandle(file);
    const { store, second } = await interruptedWithHandle(file, handle, 2);
    handle.permission = 'prompt';
    handle.onRequest = 'denied';
    await second.manager.resume(item(second.manager).id);
    expect(item(second.manager)).toMatchObject({ status: 'needs_file' });
    expect(item(second.manager).notice).toContain('was not allowed');
    expect(second.transport.puts).toEqual([]);
    expect((await store.list('alice'))[0]?.handle).toBe(handle);

    // Re-picking the same file (plain input, no handle) continues; the record no longer points at the old handle.
    second.manager.addFiles([new FakeFile('a.mp4', file.bytes, 42)]);
    await until(() => item(second.manager).status === 'uploading' || item(second.manager).status === 'done', 'resumed');
    await until(() => item(second.manager).status === 'done', 'done');
    expect(second.transport.puts.map((p) => p.partNumber).sort()).toEqual([3, 4, 5]);
  });

  it('refuses a file that changed since the upload started and forgets its handle', async () => {
    const file = new FakeFile('a.mp4', makeBytes(50), 42);
    const handle = new FakeHandle(file);
    const { store, second } = await interruptedWithHandle(file, handle, 2);
    handle.file = new FakeFile('a.mp4', makeBytes(50), 99); // saved again by an editor: same size, new time
    await second.manager.resume(item(second.manager).id);
    expect(item(second.manager).status).toBe('needs_file');
    expect(item(second.manager).notice).toContain('changed since the upload started');
    expect(second.transport.puts).toEqual([]);
    expect((await store.list('alice'))[0]?.handle).toBeNull();

    // The next visit lists it as "pick the file again", not as resumable.
    const third = setup({ store });
    await third.manager.setUser('alice');
    expect(item(third.manager).status).toBe('needs_file');
  });

  it('starts fresh and tells the user when the server session expired', async () => {
    const store = new MemoryResumeStore();
    const server = new FakeServer();
    const first = setup({ store, server });
    await first.manager.setUser('alice');
    first.transport.fallback = hangUntilAborted;
    first.manager.addFiles([new FakeFile('a.mp4', makeBytes(30))]);
    first.manager.startAll();
    await until(() => first.transport.inFlight > 0, 'in flight');
    first.manager.pause(item(first.manager).id);
    await until(() => item(first.manager).status === 'paused', 'paused');
    const oldId = item(first.manager).videoId ?? '';
    const session = server.sessions.get(oldId);
    if (session) session.state = 'expired';

    const second = setup({ store, server });
    await second.manager.setUser('alice');
    second.manager.addFiles([new FakeFile('a.mp4', makeBytes(30))]);
    await until(() => item(second.manager).status === 'done', 'done');
    expect(item(second.manager).videoId).not.toBe(oldId);
    expect(item(second.manager).notice).toMatch(/expired/);
  });

  it('waits for the network to come back without spending retries', async () => {
    const { connectivity, manager, transport, clock } = setup();
    await manager.setUser('alice');
    connectivity.online = false;
    manager.addFiles([new FakeFile('a.mp4', makeBytes(10))]);
    manager.startAll();
    await until(() => item(manager).status === 'waiting_network', 'waiting');
    expect(transport.puts.length).toBe(0);
    connectivity.goOnline();
    await until(() => item(manager).status === 'done', 'done');
    expect(clock.sleeps).toEqual([]);
  });

  it('cancels: aborts on the server and forgets the local record', async () => {
    const { server, transport, store, manager } = setup();
    await manager.setUser('alice');
    transport.fallback = hangUntilAborted;
    manager.addFiles([new FakeFile('a.mp4', makeBytes(30))]);
    manager.startAll();
    await until(() => transport.inFlight > 0, 'in flight');
    const videoId = item(manager).videoId ?? '';
    await manager.cancel(item(manager).id);
    expect(server.aborted).toEqual([videoId]);
    expect(manager.getState().items).toEqual([]);
    expect(await store.list('alice')).toEqual([]);
  });

  it('pauses with a readable message when the session expired (refresh failed)', async () => {
    const { server, manager } = setup();
    await manager.setUser('alice');
    server.failNext.create = [new ApiError(401, 'Unauthorized')];
    manager.addFiles([new FakeFile('a.mp4', makeBytes(10))]);
    manager.startAll();
    await until(() => item(manager).status === 'paused', 'paused');
    expect(item(manager).error).toMatch(/session expired/i);
    manager.resume(item(manager).id);
    await until(() => item(manager).status === 'done', 'done');
  });

  it('shows server refusals readably and validates before uploading', async () => {
    const { server, manager } = setup();
    await manager.setUser('alice');
    manager.setLimits({ remainingQuotaBytes: 25 });
    const result = manager.addFiles([
      new FakeFile('notes.txt', makeBytes(5), 1, 'text/plain'),
      new FakeFile('big.mp4', makeBytes(30)),
      new FakeFile('ok.mp4', makeBytes(20)),
      new FakeFile('second.mp4', makeBytes(10)), // 20 already staged: 5 left
    ]);
    expect(result.rejected.map((r) => r.fileName)).toEqual(['notes.txt', 'big.mp4', 'second.mp4']);
    server.failNext.create = [new ApiError(413, 'Quota exceeded', 'This upload needs 20 B but only 5 B are left.')];
    manager.startAll();
    await until(() => item(manager).status === 'error', 'error');
    expect(item(manager).error).toBe('Quota exceeded: This upload needs 20 B but only 5 B are left.');
  });

  it('uploads several files one after another and reports each completion', async () => {
    const { manager, server } = setup();
    await manager.setUser('alice');
    const completed: string[] = [];
    manager.events.on('completed', (e) => completed.push(e.videoId));
    manager.addFiles([new FakeFile('a.mp4', makeBytes(30)), new FakeFile('b.mp4', makeBytes(40))]);
    manager.startAll();
    await until(() => manager.getState().items.every((i) => i.status === 'done'), 'all done');
    expect(completed).toEqual(['v1', 'v2']);
    expect(server.completed).toEqual(['v1', 'v2']);
  });
});
