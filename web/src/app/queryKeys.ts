import type { JobState, VideoSort, VideoStatus } from '../api';

/**
 * Every server-state cache key of the SPA. Keys nest, so invalidating a prefix reaches every query
 * under it: `videoLists` all pages of the library, `admin` every admin view.
 */
export const queryKeys = {
  me: ['me'] as const,
  videos: ['videos'] as const,
  videoLists: ['videos', 'list'] as const,
  videoList: (page: number, pageSize: number, sort: VideoSort) => ['videos', 'list', { page, pageSize, sort }] as const,
  video: (id: string) => ['videos', 'detail', id] as const,
  /** The viewer's view (GET /watch/{id}); under `videos` so a change to the video refreshes it too. */
  watch: (id: string, share: string | null) => ['videos', 'watch', id, share] as const,
  watchOf: (id: string) => ['videos', 'watch', id] as const,
  explore: (page: number) => ['videos', 'explore', page] as const,
  shareLinks: (id: string) => ['videos', 'share-links', id] as const,
  admin: ['admin'] as const,
  adminStats: ['admin', 'stats'] as const,
  jobStats: ['admin', 'jobs', 'stats'] as const,
  jobs: (state: JobState) => ['admin', 'jobs', 'list', state] as const,
  job: (id: string) => ['admin', 'jobs', 'detail', id] as const,
  workers: ['admin', 'workers'] as const,
  adminVideoLists: ['admin', 'videos'] as const,
  adminVideos: (page: number, pageSize: number, status: VideoStatus | undefined) => ['admin', 'videos', { page, pageSize, status }] as const,
  adminUsers: ['admin', 'users'] as const,
};
