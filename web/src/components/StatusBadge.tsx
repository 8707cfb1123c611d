import type { VideoStatus } from '../api';

const LABELS: Record<VideoStatus, string> = {
  pending_upload: 'Waiting for upload',
  uploading: 'Uploading',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
};

export function StatusBadge({ status }: { status: VideoStatus | string }) {
  const label = LABELS[status as VideoStatus] ?? status;
  return <span className={`badge badge-${status}`}>{label}</span>;
}
