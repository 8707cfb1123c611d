export { MsePlayer, type PlayerState, type QualityMode, type QualityOption } from './msePlayer';
export type { ThumbnailCue } from './thumbnails';
