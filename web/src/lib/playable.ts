import type { Video } from '../api';

/**
 * Whether a video can be watched, and how to say where it stands. A processing video with a manifest is
 * playable: the worker publishes it as it encodes (the manifest grows until processing ends).
 */
export type Watchability = 'ready' | 'playable-processing' | 'not-yet';

export function watchability(video: Pick<Video, 'status' | 'manifestUrl'>): Watchability {
  if (!video.manifestUrl) return 'not-yet';
  if (video.status === 'ready') return 'ready';
  if (video.status === 'processing') return 'playable-processing';
  return 'not-yet';
}

export function isWatchable(video: Pick<Video, 'status' | 'manifestUrl'>): boolean {
  return watchability(video) !== 'not-yet';
}

/** "Playable — still processing 42%" for a video that plays while it encodes; null otherwise. */
export function playableLabel(video: Pick<Video, 'status' | 'manifestUrl' | 'progress'>): string | null {
  if (watchability(video) !== 'playable-processing') return null;
  return `Playable — still processing ${Math.max(0, Math.min(100, Math.round(video.progress)))}%`;
}
