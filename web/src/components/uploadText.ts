import type { MaxQuality } from '../api';
import type { UploadItemState } from '../upload';

/** The choices of the "max quality" selects, best first. */
export const MAX_QUALITIES: readonly MaxQuality[] = [1080, 720, 480, 360];

/** What a row of the uploader says for each state of the upload engine (an owner's wording). */
export const UPLOAD_STATUS_TEXT: Record<UploadItemState['status'], string> = {
  staged: 'Ready to upload',
  queued: 'Queued',
  creating: 'Starting…',
  uploading: 'Uploading',
  waiting_network: 'Offline — waiting for the network',
  completing: 'Finishing…',
  paused: 'Paused',
  needs_file: 'Unfinished — pick the same file again to resume',
  resumable: 'Interrupted — press Resume to continue',
  done: 'Uploaded — processing starts now',
  error: 'Failed',
  cancelled: 'Cancelled',
};
