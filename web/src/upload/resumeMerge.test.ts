import { describe, expect, it } from 'vitest';
import type { UploadStatus } from '../api/types';
import { planResume } from './resumeMerge';
import type { ResumeRecord } from './types';

const local: ResumeRecord = {
  userId: 'u', fingerprint: 'a.mp4|35|1', videoId: 'v1', fileName: 'a.mp4', size: 35, lastModified: 1,
  contentType: 'video/mp4', title: 'a', maxQuality: 720, mode: 'multipart', partSize: 10, partCount: 4,
  // The local record thinks 1, 2 and 3 are done; the server only recorded 1 and 3.
  parts: [{ partNumber: 1, etag: 'e1', size: 10 }, { partNumber: 2, etag: 'e2', size: 10 }, { partNumber: 3, etag: 'e3', size: 10 }],
  createdAt: 0, updatedAt: 0,
};

function server(patch: Partial<UploadStatus> = {}): UploadStatus {
  return {
    videoId: 'v1', state: 'active', mode: 'multipart', fileName: 'a.mp4', size: 35, contentType: 'video/mp4',
    partSize: 10, partCount: 4,
    parts: [{ partNumber: 1, etag: 'e1', size: 10 }, { partNumber: 3, etag: 'e3', size: 10 }],
    expiresAt: '2999-01-01T00:00:00Z', ...patch,
  };
}

describe('planResume', () => {
  it('trusts the server: sends what it has not recorded', () => {
    const plan = planResume(local, server(), 35);
    expect(plan).toEqual({
      kind: 'resume',
      done: [{ partNumber: 1, etag: 'e1', size: 10 }, { partNumber: 3, etag: 'e3', size: 10 }],
      todo: [2, 4],
    });
  });
  it('resends a recorded part whose size is wrong', () => {
    const plan = planResume(local, server({ parts: [{ partNumber: 4, etag: 'e4', size: 10 }] }), 35);
    expect(plan.kind === 'resume' && plan.todo).toEqual([1, 2, 3, 4]);
  });
  it('starts fresh when the session expired, was aborted or is gone', () => {
    expect(planResume(local, server({ state: 'expired' }), 35)).toMatchObject({ kind: 'restart', reason: expect.stringMatching(/expired/) });
    expect(planResume(local, server({ state: 'aborted' }), 35)).toMatchObject({ kind: 'restart', reason: expect.stringMatching(/aborted/) });
    expect(planResume(local, null, 35)).toMatchObject({ kind: 'restart' });
  });
  it('starts fresh when the file does not match the session', () => {
    expect(planResume(local, server({ size: 36 }), 35)).toMatchObject({ kind: 'restart' });
  });
  it('only completes when every part is recorded, and knows a completed session', () => {
    const all = [1, 2, 3, 4].map((n) => ({ partNumber: n, etag: `e${n}`, size: n === 4 ? 5 : 10 }));
    expect(planResume(local, server({ parts: all }), 35)).toEqual({ kind: 'complete' });
    expect(planResume(local, server({ state: 'completed' }), 35)).toEqual({ kind: 'already_completed' });
  });
});
