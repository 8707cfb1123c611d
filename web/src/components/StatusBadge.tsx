import type { VideoStatus } from '../api';

const LABELS: Record<VideoStatus, string> = {
  pending_upload: 'Waiting for upload',
  uploading: 'Uploading',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
};

/** `playableLabel`: a processing video that already plays says so ("Playable — still processing 42%"). */
export function StatusBadge({ status, playableLabel = null }: { status: VideoStatus | string; playableLabel?: string | null }) {
  if (playableLabel) {
    return (
      <span className="badge badge-playable" data-testid="playable-badge">
        {playableLabel}
      </span>
    );
  }
  const label = LABELS[status as VideoStatus] ?? status;
  return <span className={`badge badge-${status}`}>{label}</span>;
}
