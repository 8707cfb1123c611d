import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { admin, errorMessage, shareLinks, videos, watch, type JobState, type VideoSort, type VideoStatus } from '../api';
import { queryKeys } from './queryKeys';

/** Admin figures that move without a video event (worker heartbeats, queue age): re-read this often while shown. */
const ADMIN_REFRESH_MS = 5000;

export const videoListQuery = (page: number, pageSize: number, sort: VideoSort) =>
  queryOptions({
    queryKey: queryKeys.videoList(page, pageSize, sort),
    queryFn: () => videos.list(page, pageSize, sort),
    // Paging and sorting keep the old page on screen until the new one is there.
    placeholderData: keepPreviousData,
  });

export const videoQuery = (id: string) => queryOptions({ queryKey: queryKeys.video(id), queryFn: () => videos.get(id) });

export const watchQuery = (id: string, share: string | null) =>
  queryOptions({ queryKey: queryKeys.watch(id, share), queryFn: () => watch.get(id, share) });
export const exploreQuery = (page: number, pageSize: number) =>
  queryOptions({ queryKey: queryKeys.explore(page), queryFn: () => watch.list(page, pageSize), placeholderData: keepPreviousData });
export const shareLinksQuery = (id: string) => queryOptions({ queryKey: queryKeys.shareLinks(id), queryFn: () => shareLinks.list(id) });

export const adminStatsQuery = queryOptions({ queryKey: queryKeys.adminStats, queryFn: () => admin.stats(), refetchInterval: ADMIN_REFRESH_MS });
export const jobStatsQuery = queryOptions({ queryKey: queryKeys.jobStats, queryFn: () => admin.jobStats(), refetchInterval: ADMIN_REFRESH_MS });
export const jobsQuery = (state: JobState) => queryOptions({ queryKey: queryKeys.jobs(state), queryFn: () => admin.jobs(state), placeholderData: keepPreviousData });
export const jobQuery = (id: string) => queryOptions({ queryKey: queryKeys.job(id), queryFn: () => admin.job(id) });
export const workersQuery = queryOptions({ queryKey: queryKeys.workers, queryFn: () => admin.workers(), refetchInterval: ADMIN_REFRESH_MS });
export const adminVideosQuery = (page: number, pageSize: number, status: VideoStatus | undefined) =>
  queryOptions({ queryKey: queryKeys.adminVideos(page, pageSize, status), queryFn: () => admin.videos(page, pageSize, status), placeholderData: keepPreviousData });
export const adminUsersQuery = queryOptions({ queryKey: queryKeys.adminUsers, queryFn: () => admin.users() });

/** A query's error as the pages show it, or null. */
export function errorText(error: unknown): string | null {
  return error ? errorMessage(error) : null;
}
