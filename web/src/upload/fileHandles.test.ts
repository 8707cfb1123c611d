import { describe, expect, it } from 'vitest';
import { droppedFiles, pickFiles, reopenHandle, supportsFileHandles, type ExpectedFile } from './fileHandles';
import { fingerprint } from './fingerprint';
import { FakeFile, FakeHandle, makeBytes } from './testFakes';

const original = new FakeFile('clip.mp4', makeBytes(40), 1_000);
const expected: ExpectedFile = { fileName: 'clip.mp4', size: 40, lastModified: 1_000, fingerprint: fingerprint(original) };

describe('reopenHandle', () => {
  it('returns the file when permission is already granted and the file is unchanged', async () => {
    const handle = new FakeHandle(original);
    const result = await reopenHandle(handle, expected);
    expect(result).toEqual({ ok: true, file: original });
    expect(handle.requests).toBe(0);
  });

  it('asks once when the browser has to prompt, and uses the answer', async () => {
    const handle = new FakeHandle(original);
    handle.permission = 'prompt';
    expect((await reopenHandle(handle, expected)).ok).toBe(true);
    expect([handle.queries, handle.requests]).toEqual([1, 1]);

    const refused = new FakeHandle(original);
    refused.permission = 'prompt';
    refused.onRequest = 'denied';
    const result = await reopenHandle(refused, expected);
    expect(result).toMatchObject({ ok: false, reason: 'denied' });
    expect(!result.ok && result.message).toContain('Pick the same file again');
  });

  it('asks for permission before loading what the file must match (the click activation is still fresh)', async () => {
    const handle = new FakeHandle(original);
    handle.permission = 'prompt';
    const order: string[] = [];
    const request = handle.requestPermission.bind(handle);
    handle.requestPermission = async () => {
      order.push('request');
      return request();
    };
    const result = await reopenHandle(handle, async () => {
      order.push('expected');
      return expected;
    });
    expect(result.ok).toBe(true);
    expect(order).toEqual(['request', 'expected']);
  });

  it('treats a permission call that throws (no user gesture) as refused', async () => {
    const handle = new FakeHandle(original);
    handle.permission = 'prompt';
    handle.requestPermission = async () => {
      throw new DOMException('User activation is required to request permissions.', 'SecurityError');
    };
    expect(await reopenHandle(handle, expected)).toMatchObject({ ok: false, reason: 'denied' });
  });

  it('refuses a file that changed size or modification time, or went away', async () => {
    const grown = await reopenHandle(new FakeHandle(new FakeFile('clip.mp4', makeBytes(41), 1_000)), expected);
    expect(grown).toMatchObject({ ok: false, reason: 'changed' });
    expect(!grown.ok && grown.message).toContain('its size');

    const touched = await reopenHandle(new FakeHandle(new FakeFile('clip.mp4', makeBytes(40), 2_000)), expected);
    expect(touched).toMatchObject({ ok: false, reason: 'changed' });
    expect(!touched.ok && touched.message).toContain('its modification time');

    // Without a recorded time the fingerprint still catches it.
    const noTime = await reopenHandle(new FakeHandle(new FakeFile('clip.mp4', makeBytes(40), 2_000)), { ...expected, lastModified: null });
    expect(noTime).toMatchObject({ ok: false, reason: 'changed' });

    const gone = new FakeHandle(original);
    gone.missing = true;
    expect(await reopenHandle(gone, expected)).toMatchObject({ ok: false, reason: 'missing' });
  });
});

describe('pickFiles / droppedFiles', () => {
  it('detects the API and returns each picked file with its handle; closing the picker picks nothing', async () => {
    const handle = new FakeHandle(original);
    let options: unknown = null;
    const win = {
      showOpenFilePicker: async (o: unknown) => {
        options = o;
        return [handle];
      },
    };
    expect(supportsFileHandles(win)).toBe(true);
    expect(supportsFileHandles({})).toBe(false);
    expect(await pickFiles(['.mp4'], win)).toEqual([{ file: original, handle }]);
    expect(options).toMatchObject({ multiple: true, types: [{ accept: { 'video/*': ['.mp4'] } }] });

    const closed = { showOpenFilePicker: async () => Promise.reject(new DOMException('The user aborted a request.', 'AbortError')) };
    expect(await pickFiles(['.mp4'], closed)).toEqual([]);
    const blocked = { showOpenFilePicker: async () => Promise.reject(new DOMException('Not allowed in a cross-origin frame.', 'SecurityError')) };
    await expect(pickFiles(['.mp4'], blocked)).rejects.toThrow('cross-origin');
  });

  it('takes handles from dropped items where offered, files alone elsewhere', async () => {
    const file = new File([new Uint8Array(3)], 'drop.mp4', { type: 'video/mp4' });
    const handle = { kind: 'file', name: 'drop.mp4', getFile: async () => file };
    const picked = await droppedFiles([
      { kind: 'file', getAsFile: () => file, getAsFileSystemHandle: async () => handle },
      { kind: 'file', getAsFile: () => file },
      { kind: 'file', getAsFile: () => file, getAsFileSystemHandle: async () => ({ kind: 'directory' }) },
      { kind: 'string', getAsFile: () => null },
    ]);
    expect(picked.map((p) => p.handle)).toEqual([handle, null, null]);
    expect(picked.every((p) => p.file === file)).toBe(true);
  });
});
