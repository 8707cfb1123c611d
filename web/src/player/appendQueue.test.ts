import { describe, expect, it } from 'vitest';
import { AppendQueue } from './appendQueue';
import { FakeSourceBuffer } from './testFakes';

const bytes = (first: number) => new Uint8Array([first, 0, 0]).buffer;

describe('AppendQueue', () => {
  it('never appends while updating: operations run one after another on updateend', async () => {
    const sb = new FakeSourceBuffer();
    const queue = new AppendQueue(sb);
    // The fake throws InvalidStateError on overlap, so completing at all proves serialization.
    await Promise.all([queue.append(bytes(1)), queue.append(bytes(2)), queue.remove(0, 4), queue.append(bytes(3))]);
    expect(sb.log).toEqual(['append:1', 'append:2', 'remove:0-4', 'append:3']);
    expect(queue.idle).toBe(true);
  });

  it('waits for an update it did not start', async () => {
    const sb = new FakeSourceBuffer();
    sb.autoComplete = false;
    sb.remove(0, 1); // someone else's update in progress
    const queue = new AppendQueue(sb);
    const done = queue.append(bytes(7));
    await new Promise((r) => setTimeout(r, 5));
    expect(sb.log).toEqual(['remove:0-1']);
    sb.autoComplete = true;
    sb.finish();
    await done;
    expect(sb.log).toEqual(['remove:0-1', 'append:7']);
  });

  it('evicts behind the playhead and retries on QuotaExceededError', async () => {
    const sb = new FakeSourceBuffer();
    sb.quotaFailures = 1;
    const queue = new AppendQueue(sb, { onQuotaExceeded: () => [0, 20] });
    await queue.append(bytes(5));
    expect(sb.log).toEqual(['remove:0-20', 'append:5']);
  });

  it('gives up when nothing can be evicted', async () => {
    const sb = new FakeSourceBuffer();
    sb.quotaFailures = 1;
    const queue = new AppendQueue(sb, { onQuotaExceeded: () => null });
    await expect(queue.append(bytes(5))).rejects.toMatchObject({ name: 'QuotaExceededError' });
    await queue.append(bytes(6)); // the queue keeps working
    expect(sb.log).toEqual(['append:6']);
  });

  it('drops queued operations on abortPending but lets the running one finish', async () => {
    const sb = new FakeSourceBuffer();
    sb.autoComplete = false;
    const queue = new AppendQueue(sb);
    const first = queue.append(bytes(1));
    const second = queue.append(bytes(2));
    await Promise.resolve();
    queue.abortPending();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    sb.finish();
    await first;
    expect(sb.log).toEqual(['append:1']);
  });

  it('reports a failed update as an error', async () => {
    const sb = new FakeSourceBuffer();
    sb.autoComplete = false;
    const queue = new AppendQueue(sb);
    const p = queue.append(bytes(1));
    await Promise.resolve();
    sb.updating = false;
    sb.dispatchEvent(new Event('error'));
    await expect(p).rejects.toThrow(/could not be decoded/);
  });
});
