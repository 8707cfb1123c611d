export { MsePlayer, type AudioTrackOption, type PlayerState, type QualityMode, type QualityOption } from './msePlayer';
export { AUDIO_LANGUAGE_KEY } from './audioChoice';
export type { ThumbnailCue } from './thumbnails';
export { HLS_MIME_TYPE, mediaSourceAvailable, playbackMode } from './codecs';
export { loadManifest } from './manifest';
export { clampSeek } from './growingManifest';
export { CaptionTracks, parseVtt, type CaptionSource } from './captions';
export { QoeCollector, type QoeSample, type ViewReport } from './qoeCollector';
export { QoeReporter } from './qoeReporter';
