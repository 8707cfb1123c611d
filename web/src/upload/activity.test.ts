import { describe, expect, it } from 'vitest';
import { isActiveUpload, isUnfinishedUpload } from './activity';
import type { UploadItemStatus } from './types';

// Every status the engine has: a new one must be placed here (the Record makes the compiler ask).
const EXPECTED: Record<UploadItemStatus, { active: boolean; unfinished: boolean }> = {
  staged: { active: false, unfinished: false },
  queued: { active: true, unfinished: true },
  creating: { active: true, unfinished: true },
  uploading: { active: true, unfinished: true },
  waiting_network: { active: true, unfinished: true },
  completing: { active: true, unfinished: true },
  paused: { active: false, unfinished: true },
  needs_file: { active: false, unfinished: true },
  resumable: { active: false, unfinished: true },
  error: { active: false, unfinished: true },
  done: { active: false, unfinished: false },
  cancelled: { active: false, unfinished: false },
};

describe('upload activity', () => {
  it.each(Object.entries(EXPECTED))('%s: active and unfinished as the engine and the screens expect', (status, want) => {
    expect(isActiveUpload(status as UploadItemStatus)).toBe(want.active);
    expect(isUnfinishedUpload(status as UploadItemStatus)).toBe(want.unfinished);
  });

  it('an active upload is always unfinished', () => {
    for (const status of Object.keys(EXPECTED) as UploadItemStatus[]) if (isActiveUpload(status)) expect(isUnfinishedUpload(status)).toBe(true);
  });
});
