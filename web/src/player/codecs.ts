import type { AudioTrack, Manifest, Representation, VideoRepresentation } from './manifest';

/** `video/mp4; codecs="avc1.64001f"`: what MediaSource.isTypeSupported and addSourceBuffer take. */
export function mimeCodec(rep: Pick<Representation, 'mimeType' | 'codecs'>): string {
  return `${rep.mimeType}; codecs="${rep.codecs}"`;
}

export interface CodecCheck {
  /** Video renditions this browser can play (possibly fewer than the manifest lists). */
  video: VideoRepresentation[];
  /** Audio tracks this browser can play (all are AAC today; a track it cannot play is left out of the menu). */
  audio: AudioTrack[];
  error: string | null;
}

/** Uses the manifest's exact codec strings (design §9): a guessed string can pass where the real one fails. */
export function checkCodecs(manifest: Manifest, isTypeSupported: (type: string) => boolean): CodecCheck {
  const video = manifest.video.filter((r) => isTypeSupported(mimeCodec(r)));
  if (video.length === 0) {
    const types = [...new Set(manifest.video.map(mimeCodec))].join(', ');
    return { video, audio: [], error: `This browser cannot play this video's format (${types}).` };
  }
  const audio = manifest.audioTracks.filter((t) => isTypeSupported(mimeCodec(t)));
  if (manifest.audioTracks.length > 0 && audio.length === 0) {
    return { video, audio, error: `This browser cannot play this video's audio (${mimeCodec(manifest.audioTracks[0]!)}).` };
  }
  return { video, audio, error: null };
}

export function mediaSourceAvailable(): boolean {
  return typeof globalThis.MediaSource === 'function';
}

export const HLS_MIME_TYPE = 'application/vnd.apple.mpegurl';

/**
 * How this browser plays: our MSE player wherever MediaSource exists; otherwise the HLS playlist handed to the
 * <video> element (Safari on iPhone has no MSE for DASH but plays HLS natively); otherwise nothing.
 */
export function playbackMode(hasMediaSource: boolean, canPlayHls: boolean): 'mse' | 'native-hls' | 'unsupported' {
  if (hasMediaSource) return 'mse';
  return canPlayHls ? 'native-hls' : 'unsupported';
}
