import type { QueryClient } from '@tanstack/react-query';
import type { Page, Video, VideoEvent, VideoStatus } from '../api';
import { queryKeys } from './queryKeys';

/** A video reached a final state; the caller tells the person. */
export interface VideoFinished {
  title: string;
  status: 'ready' | 'failed';
  error: string | null;
}

/** Progress events arrive about once a second per processing video: re-reads they cause are coalesced to this. */
export const REFETCH_COALESCE_MS = 1000;

function isFinal(status: Video['status']): status is 'ready' | 'failed' {
  return status === 'ready' || status === 'failed';
}

/**
 * Writes the SSE video events into the query cache, so every screen that shows a video follows
 * it without polling. Status and progress are patched in place; what an event cannot carry (the
 * poster, the renditions of a finished video, a video no cached list holds yet, the admin figures)
 * is re-read by invalidating the queries that show it, at most once per REFETCH_COALESCE_MS.
 */
export class LiveVideoSync {
  private readonly pending = new Set<readonly unknown[]>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly lastStatus = new Map<string, VideoStatus>();

  /** `currentUserId`: events for others' videos (an admin gets them all) never re-read the own library. */
  constructor(
    private readonly client: QueryClient,
    private readonly currentUserId: () => string | null,
  ) {}

  /** Applies one event; returns what finished (for a toast) when this event ended processing. */
  apply(event: VideoEvent): VideoFinished | null {
    if (event.status === 'deleted') {
      this.forget(event.videoId);
      return null;
    }
    const status = event.status;
    const inLibrary = this.findIn(queryKeys.videoLists, event.videoId);
    const before = this.client.getQueryData<Video>(queryKeys.video(event.videoId)) ?? inLibrary ?? this.findIn(queryKeys.adminVideoLists, event.videoId);
    const patch = (v: Video): Video =>
      v.id === event.videoId
        ? {
            ...v,
            status,
            progress: event.progress,
            lastError: event.error ?? v.lastError,
            queuedReason: event.queuedReason ?? null,
            ...playablePatch(v, event),
          }
        : v;
    const patchPage = (page: Page<Video> | undefined) =>
      page && page.items.some((v) => v.id === event.videoId) ? { ...page, items: page.items.map(patch) } : page;
    this.client.setQueriesData<Page<Video>>({ queryKey: queryKeys.videoLists }, patchPage);
    this.client.setQueriesData<Page<Video>>({ queryKey: queryKeys.adminVideoLists }, patchPage);
    this.client.setQueryData<Video>(queryKeys.video(event.videoId), (v) => v && patch(v));

    // Statuses seen on the stream count too: an admin follows videos no cached list holds.
    const previous = this.lastStatus.get(event.videoId) ?? before?.status;
    this.lastStatus.set(event.videoId, status);
    const changed = previous !== status;
    // An own video no library page holds (just created, or on another page) may belong on the page shown.
    if (!inLibrary && event.ownerId === this.currentUserId()) this.refetchSoon(queryKeys.videoLists);
    if (changed) this.refetchSoon(queryKeys.admin);
    if (changed && isFinal(status)) {
      // The final state brings the poster, duration, renditions and downloads: read them.
      this.refetchSoon(queryKeys.videoLists);
      this.refetchSoon(queryKeys.video(event.videoId));
      if (before) return { title: before.title, status, error: event.error };
    }
    return null;
  }

  /** A video that is gone leaves every cached list at once; the pages re-read their totals and neighbours. */
  private forget(videoId: string): void {
    const drop = (page: Page<Video> | undefined) =>
      page && page.items.some((v) => v.id === videoId)
        ? { ...page, items: page.items.filter((v) => v.id !== videoId), total: Math.max(0, page.total - 1) }
        : page;
    this.client.setQueriesData<Page<Video>>({ queryKey: queryKeys.videoLists }, drop);
    this.client.setQueriesData<Page<Video>>({ queryKey: queryKeys.adminVideoLists }, drop);
    this.client.removeQueries({ queryKey: queryKeys.video(videoId), exact: true });
    this.lastStatus.delete(videoId);
    this.refetchSoon(queryKeys.videoLists);
    this.refetchSoon(queryKeys.admin);
  }

  /** After a reconnect the stream may have missed a final state: re-read everything about videos. */
  resync(): void {
    void this.client.invalidateQueries({ queryKey: queryKeys.videos });
    void this.client.invalidateQueries({ queryKey: queryKeys.admin });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private findIn(lists: readonly unknown[], id: string): Video | null {
    for (const [, page] of this.client.getQueriesData<Page<Video>>({ queryKey: lists })) {
      const found = page?.items.find((v) => v.id === id);
      if (found) return found;
    }
    return null;
  }

  private refetchSoon(key: readonly unknown[]): void {
    this.pending.add(key);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const keys = [...this.pending];
      this.pending.clear();
      for (const queryKey of keys) void this.client.invalidateQueries({ queryKey });
    }, REFETCH_COALESCE_MS);
  }
}

/**
 * What an event says about the video's manifest. The `playable` event (a processing video whose first growing
 * manifest is up) brings manifestUrl and playableAt: the card offers "Watch" and the watch page plays at once.
 * A failure without a manifest means the growing version was removed: nothing may point at it any more (a
 * reprocessed ready video that failed keeps its old version; the re-read after a final state restores it).
 * Other events say nothing about the manifest (their manifestUrl is null or absent).
 */
export function playablePatch(video: Pick<Video, 'manifestUrl' | 'playableAt'>, event: VideoEvent): Partial<Pick<Video, 'manifestUrl' | 'playableAt'>> {
  if (event.status === 'deleted') return {};
  if (typeof event.manifestUrl === 'string' && event.manifestUrl) {
    return { manifestUrl: event.manifestUrl, playableAt: event.playableAt ?? video.playableAt ?? null };
  }
  if (event.status === 'failed' && event.manifestUrl == null) return { manifestUrl: null, playableAt: null };
  return {};
}

/** An action answered with the whole video (rename, retry, cancel): put it wherever the cache shows it. */
export function putVideo(client: QueryClient, video: Video): void {
  const replace = (page: Page<Video> | undefined) =>
    page && page.items.some((v) => v.id === video.id) ? { ...page, items: page.items.map((v) => (v.id === video.id ? video : v)) } : page;
  client.setQueriesData<Page<Video>>({ queryKey: queryKeys.videoLists }, replace);
  client.setQueriesData<Page<Video>>({ queryKey: queryKeys.adminVideoLists }, replace);
  // The single-video answer carries captions and downloads that list answers leave null: keep those.
  client.setQueryData<Video>(queryKeys.video(video.id), (current) =>
    current ? { ...video, captions: video.captions ?? current.captions, downloads: video.downloads ?? current.downloads } : undefined,
  );
}
