import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, videos, type Page, type Video, type VideoEvent, type VideoSort } from '../api';
import { useSession } from '../app/session';
import { useToast } from '../app/toasts';
import { useToastAction } from '../app/useToastAction';
import { uploadManager } from '../app/uploads';
import { useVideoEvents } from '../app/useVideoEvents';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Pager } from '../components/Pager';
import { QuotaBar } from '../components/QuotaBar';
import { Spinner } from '../components/Spinner';
import { Uploader } from '../components/Uploader';
import { VideoCard, type VideoCardActions } from '../components/VideoCard';

const PAGE_SIZE = 12;
const SORTS: { value: VideoSort; label: string }[] = [
  { value: 'created_desc', label: 'Newest first' },
  { value: 'created_asc', label: 'Oldest first' },
  { value: 'title_asc', label: 'Title A–Z' },
  { value: 'title_desc', label: 'Title Z–A' },
  { value: 'size_desc', label: 'Largest first' },
];

export function LibraryPage() {
  const { me, refreshMe } = useSession();
  const toast = useToast();
  const run = useToastAction();
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<VideoSort>('created_desc');
  const [list, setList] = useState<Page<Video> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<Video | null>(null);

  const load = useCallback(async () => {
    try {
      setList(await videos.list(page, PAGE_SIZE, sort));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [page, sort]);

  useEffect(() => {
    void load();
  }, [load]);

  // A finished upload creates a processing video and uses quota: show both.
  useEffect(
    () =>
      uploadManager.events.on('completed', () => {
        void load();
        void refreshMe().catch(() => undefined);
      }),
    [load, refreshMe],
  );

  // Events for videos not on this page (another page, or just created) re-read the list, at most
  // once a second: progress events arrive continuously while a video is processed.
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reloadSoon = () => {
    if (reloadTimer.current) return;
    reloadTimer.current = setTimeout(() => {
      reloadTimer.current = null;
      void load();
    }, 1000);
  };
  useEffect(() => () => {
    if (reloadTimer.current) clearTimeout(reloadTimer.current);
  }, []);

  const replace = (video: Video) =>
    setList((current) => current && { ...current, items: current.items.map((v) => (v.id === video.id ? video : v)) });

  const onEvent = async (event: VideoEvent) => {
    const known = list?.items.find((v) => v.id === event.videoId);
    if (!known) {
      reloadSoon();
      return;
    }
    setList((current) =>
      current && {
        ...current,
        items: current.items.map((v) =>
          v.id === event.videoId ? { ...v, status: event.status, progress: event.progress, lastError: event.error ?? v.lastError } : v,
        ),
      },
    );
    if (known.status !== event.status && (event.status === 'ready' || event.status === 'failed')) {
      toast(
        event.status === 'ready' ? `"${known.title}" is ready to watch.` : `"${known.title}" failed: ${event.error ?? 'processing error'}`,
        event.status === 'ready' ? 'success' : 'error',
      );
      // The final state brings the poster, duration and renditions: read the whole video.
      try {
        replace(await videos.get(event.videoId));
      } catch {
        void load();
      }
    }
  };

  useVideoEvents(Boolean(me), (e) => void onEvent(e), () => void load());

  const actions: VideoCardActions = {
    onRename: async (video, title) => {
      try {
        replace(await videos.rename(video.id, title));
      } catch (e) {
        toast(errorMessage(e), 'error');
        throw e;
      }
    },
    onDelete: (video) => setToDelete(video),
    onRetry: (video) => void run(async () => replace(await videos.retry(video.id)), `Retrying "${video.title}".`),
    onCancel: (video) => void run(async () => replace(await videos.cancel(video.id)), `Stopped processing "${video.title}".`),
  };

  const confirmDelete = async () => {
    const video = toDelete;
    setToDelete(null);
    if (!video) return;
    await run(async () => {
      await videos.remove(video.id);
      await load();
      await refreshMe();
    }, `Deleted "${video.title}".`);
  };

  const pages = list ? Math.max(1, Math.ceil(list.total / PAGE_SIZE)) : 1;

  return (
    <div className="page library">
      <div className="library-head">
        <h1>Your videos</h1>
        {me && <QuotaBar used={me.storageUsedBytes} quota={me.quotaBytes} />}
      </div>
      <Uploader quotaBytes={me?.quotaBytes ?? null} />

      <section aria-labelledby="videos-title" className="videos">
        <div className="row between wrap gap">
          <h2 id="videos-title">Library {list ? <span className="muted">({list.total})</span> : null}</h2>
          <label className="field inline">
            <span>Sort</span>
            <select
              value={sort}
              onChange={(e) => {
                setSort(e.target.value as VideoSort);
                setPage(1);
              }}
            >
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {error && (
          <p className="alert alert-error" role="alert">
            Could not load your videos: {error}{' '}
            <button type="button" className="btn btn-small" onClick={() => void load()}>
              Try again
            </button>
          </p>
        )}
        {!list && !error && <Spinner label="Loading videos" />}
        {list && list.items.length === 0 && <p className="empty">No videos yet. Upload one above — it will show up here while it is processed.</p>}
        {list && list.items.length > 0 && (
          <div className="grid">
            {list.items.map((v) => (
              <VideoCard key={`${v.id}:${v.title}`} video={v} actions={actions} />
            ))}
          </div>
        )}
        <Pager page={page} pages={pages} onPage={setPage} />
      </section>

      <ConfirmDialog
        open={toDelete !== null}
        title="Delete this video?"
        confirmLabel="Delete"
        danger
        onConfirm={() => void confirmDelete()}
        onCancel={() => setToDelete(null)}
      >
        <p>
          “{toDelete?.title}” and all its renditions will be removed. This cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
