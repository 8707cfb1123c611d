import type { UploadStatus } from '../api/types';
import { allPartNumbers, isConsistentPlan, partLength } from './partPlan';
import type { RecordedPart, ResumeRecord } from './types';

/**
 * Decides how to continue an upload from the local record and the server's view.
 * The server's part table is the truth (design §4): a part we think is done but the server never
 * recorded is sent again; a part the server recorded is never sent again.
 */
export type ResumePlan =
  | { kind: 'resume'; done: RecordedPart[]; todo: number[] }
  | { kind: 'complete' } // every byte is there already: only "complete" is missing
  | { kind: 'already_completed' } // the server finished this upload before
  | { kind: 'restart'; reason: string };

export function planResume(local: ResumeRecord, server: UploadStatus | null, fileSize: number): ResumePlan {
  if (server === null) {
    return { kind: 'restart', reason: 'The previous upload session no longer exists on the server; starting over.' };
  }
  if (server.state === 'expired' || server.state === 'aborted') {
    return {
      kind: 'restart',
      reason: `The previous upload session ${server.state === 'expired' ? 'expired' : 'was aborted'}; starting over.`,
    };
  }
  if (server.state === 'completed') return { kind: 'already_completed' };
  if (server.videoId !== local.videoId || server.size !== fileSize || !isConsistentPlan(server.partSize, server.partCount, fileSize)) {
    return { kind: 'restart', reason: 'The file no longer matches the upload session; starting over.' };
  }

  const done = new Map<number, RecordedPart>();
  for (const part of server.parts) {
    const valid =
      part.partNumber >= 1 &&
      part.partNumber <= server.partCount &&
      part.etag &&
      // A recorded part of the wrong length would make "complete" fail: send it again.
      part.size === partLength(part.partNumber, server.partSize, fileSize);
    if (valid) done.set(part.partNumber, { partNumber: part.partNumber, etag: part.etag, size: part.size });
  }
  const todo = allPartNumbers(server.partCount).filter((n) => !done.has(n));
  const doneList = [...done.values()].sort((a, b) => a.partNumber - b.partNumber);
  if (todo.length === 0) return { kind: 'complete' };
  return { kind: 'resume', done: doneList, todo };
}
