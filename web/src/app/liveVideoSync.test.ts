import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Page, Video, VideoEvent, VideoStatus } from '../api';
import { LiveVideoSync, putVideo, REFETCH_COALESCE_MS } from './liveVideoSync';
import { queryKeys } from './queryKeys';

const ME = 'user-1';

function video(id: string, status: VideoStatus, title = `Clip ${id}`): Video {
  return { id, title, status, progress: 0, lastError: null, captions: null, downloads: null, probe: null, renditions: [] } as unknown as Video;
}

function event(videoId: string, status: VideoStatus | 'deleted', progress = 0, ownerId = ME, error: string | null = null): VideoEvent {
  return { videoId, ownerId, status, progress, error };
}

/** A query shown on screen (an active observer) whose fetches are counted; it answers `answer()`. */
function shown<T>(client: QueryClient, queryKey: readonly unknown[], answer: () => T) {
  const fetches = { count: 0 };
  const observer = new QueryObserver(client, {
    queryKey,
    queryFn: async () => {
      fetches.count++;
      return answer();
    },
    staleTime: Infinity,
  });
  const unsubscribe = observer.subscribe(() => undefined);
  return { fetches, unsubscribe };
}

describe('LiveVideoSync', () => {
  let client: QueryClient;
  let sync: LiveVideoSync;
  let library: Page<Video>;
  const listKey = queryKeys.videoList(1, 12, 'created_desc');

  beforeEach(async () => {
    vi.useFakeTimers();
    client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    sync = new LiveVideoSync(client, () => ME);
    library = { items: [video('a', 'processing'), video('b', 'ready')], total: 2, page: 1, pageSize: 12 } as unknown as Page<Video>;
  });
  afterEach(() => {
    sync.dispose();
    client.clear();
    vi.useRealTimers();
  });

  async function showLibrary() {
    const list = shown(client, listKey, () => library);
    await vi.advanceTimersByTimeAsync(0);
    expect(list.fetches.count).toBe(1);
    return list;
  }

  it('patches progress into the cached page in place, without a re-read', async () => {
    const list = await showLibrary();
    for (let p = 10; p <= 50; p += 10) expect(sync.apply(event('a', 'processing', p))).toBeNull();
    await vi.advanceTimersByTimeAsync(REFETCH_COALESCE_MS * 3);
    const cached = client.getQueryData<Page<Video>>(listKey);
    expect(cached?.items.find((v) => v.id === 'a')).toMatchObject({ status: 'processing', progress: 50 });
    expect(list.fetches.count).toBe(1);
  });

  it('drops a deleted video from the cached page at once and re-reads the page once', async () => {
    const list = await showLibrary();
    expect(sync.apply(event('a', 'deleted'))).toBeNull();
    const cached = client.getQueryData<Page<Video>>(listKey);
    expect(cached?.items.map((v) => v.id)).toEqual(['b']);
    expect(cached?.total).toBe(1);
    await vi.advanceTimersByTimeAsync(REFETCH_COALESCE_MS);
    expect(list.fetches.count).toBe(2);
  });

  it('shows why a video waits, and clears it once it runs', async () => {
    await showLibrary();
    sync.apply({ ...event('a', 'processing'), queuedReason: 'Two of your videos are processing; this one starts after them.' });
    const waiting = client.getQueryData<Page<Video>>(listKey)?.items.find((v) => v.id === 'a');
    expect(waiting?.queuedReason).toBe('Two of your videos are processing; this one starts after them.');
    sync.apply(event('a', 'processing', 10));
    expect(client.getQueryData<Page<Video>>(listKey)?.items.find((v) => v.id === 'a')?.queuedReason).toBeNull();
  });

  it('reports a video that became ready once, and re-reads the page and the video once', async () => {
    const list = await showLibrary();
    const detail = shown(client, queryKeys.video('a'), () => video('a', 'processing'));
    await vi.advanceTimersByTimeAsync(0);
    expect(sync.apply(event('a', 'ready', 100))).toEqual({ title: 'Clip a', status: 'ready', error: null });
    // The same final state again (a reconnect replays it) is no news.
    expect(sync.apply(event('a', 'ready', 100))).toBeNull();
    expect(client.getQueryData<Video>(queryKeys.video('a'))?.status).toBe('ready');
    expect(list.fetches.count).toBe(1);
    await vi.advanceTimersByTimeAsync(REFETCH_COALESCE_MS);
    expect(list.fetches.count).toBe(2);
    expect(detail.fetches.count).toBe(2);
  });

  it('reports a failure with its error', async () => {
    await showLibrary();
    expect(sync.apply(event('a', 'failed', 40, ME, 'Not a video'))).toEqual({ title: 'Clip a', status: 'failed', error: 'Not a video' });
    expect(client.getQueryData<Page<Video>>(listKey)?.items[0]?.lastError).toBe('Not a video');
  });

  it('re-reads the library at most once a second for an own video it does not hold', async () => {
    const list = await showLibrary();
    for (let p = 0; p < 10; p++) sync.apply(event('new', 'processing', p));
    await vi.advanceTimersByTimeAsync(REFETCH_COALESCE_MS);
    expect(list.fetches.count).toBe(2);
  });

  it("never re-reads the library for another user's video (an admin gets every event)", async () => {
    const list = await showLibrary();
    sync.apply(event('theirs', 'processing', 10, 'user-2'));
    await vi.advanceTimersByTimeAsync(REFETCH_COALESCE_MS * 2);
    expect(list.fetches.count).toBe(1);
  });

  it('re-reads the admin views on a status change, not on progress', async () => {
    const jobs = shown(client, queryKeys.jobs('processing'), () => ({ items: [], total: 0 }));
    await vi.advanceTimersByTimeAsync(0);
    sync.apply(event('x', 'processing', 1, 'user-2'));
    await vi.advanceTimersByTimeAsync(REFETCH_COALESCE_MS);
    expect(jobs.fetches.count).toBe(2);
    for (let p = 2; p < 10; p++) sync.apply(event('x', 'processing', p, 'user-2'));
    await vi.advanceTimersByTimeAsync(REFETCH_COALESCE_MS * 2);
    expect(jobs.fetches.count).toBe(2);
    sync.apply(event('x', 'ready', 100, 'user-2'));
    await vi.advanceTimersByTimeAsync(REFETCH_COALESCE_MS);
    expect(jobs.fetches.count).toBe(3);
  });

  it("a 'playable' event makes the processing video watchable in the list and the detail, without a re-read", async () => {
    const list = await showLibrary();
    client.setQueryData(queryKeys.video('a'), video('a', 'processing'));
    const playableAt = '2026-12-06T22:00:00Z';
    const url = 'https://cdn.test/media/a/v1/manifest.json';
    expect(sync.apply({ ...event('a', 'processing', 12), manifestUrl: url, playableAt })).toBeNull();
    expect(client.getQueryData<Page<Video>>(listKey)?.items.find((v) => v.id === 'a')).toMatchObject({ status: 'processing', manifestUrl: url, playableAt, progress: 12 });
    expect(client.getQueryData<Video>(queryKeys.video('a'))).toMatchObject({ manifestUrl: url, playableAt });
    // Later progress events carry no manifest: they keep it.
    sync.apply({ ...event('a', 'processing', 40), manifestUrl: null });
    sync.apply(event('a', 'processing', 50));
    expect(client.getQueryData<Video>(queryKeys.video('a'))).toMatchObject({ manifestUrl: url, playableAt, progress: 50 });
    await vi.advanceTimersByTimeAsync(REFETCH_COALESCE_MS * 2);
    expect(list.fetches.count).toBe(1);
  });

  it('a failure without a manifest removes the growing one', async () => {
    await showLibrary();
    client.setQueryData(queryKeys.video('a'), video('a', 'processing'));
    sync.apply({ ...event('a', 'processing', 12), manifestUrl: 'https://cdn.test/a/v1/manifest.json', playableAt: '2026-12-06T22:00:00Z' });
    sync.apply({ ...event('a', 'failed', 40, ME, 'ffmpeg failed'), manifestUrl: null });
    expect(client.getQueryData<Video>(queryKeys.video('a'))).toMatchObject({ status: 'failed', manifestUrl: null, playableAt: null });
    expect(client.getQueryData<Page<Video>>(listKey)?.items.find((v) => v.id === 'a')?.manifestUrl).toBeNull();
  });

  it('re-reads everything about videos after a reconnect', async () => {
    const list = await showLibrary();
    sync.resync();
    await vi.advanceTimersByTimeAsync(0);
    expect(list.fetches.count).toBe(2);
  });
});

describe('putVideo', () => {
  it("replaces the video in every cached list and keeps the detail's captions and downloads", () => {
    const client = new QueryClient();
    const listKey = queryKeys.videoList(1, 12, 'created_desc');
    const captions = [{ lang: 'en' }];
    client.setQueryData(listKey, { items: [video('a', 'failed'), video('b', 'ready')], total: 2 });
    client.setQueryData(queryKeys.video('a'), { ...video('a', 'failed'), captions });
    putVideo(client, video('a', 'processing', 'Renamed'));
    expect(client.getQueryData<Page<Video>>(listKey)?.items.map((v) => [v.title, v.status])).toEqual([
      ['Renamed', 'processing'],
      ['Clip b', 'ready'],
    ]);
    expect(client.getQueryData<Video>(queryKeys.video('a'))).toMatchObject({ title: 'Renamed', captions });
    client.clear();
  });
});
