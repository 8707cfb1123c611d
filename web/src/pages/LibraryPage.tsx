import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage, videos, type Video, type VideoSort } from '../api';
import { putVideo } from '../app/liveVideoSync';
import { videoListQuery } from '../app/queries';
import { queryKeys } from '../app/queryKeys';
import { useSession } from '../app/session';
import { useToast } from '../app/toasts';
import { useToastAction } from '../app/useToastAction';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ImportForm } from '../components/ImportForm';
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
  const { me } = useSession();
  const client = useQueryClient();
  const toast = useToast();
  const run = useToastAction();
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<VideoSort>('created_desc');
  const [toDelete, setToDelete] = useState<Video | null>(null);
  // Kept live by the shell (SSE events and finished uploads update this query).
  const videoList = useQuery(videoListQuery(page, PAGE_SIZE, sort));
  const list = videoList.data ?? null;
  const error = videoList.error ? errorMessage(videoList.error) : null;

  const replace = (video: Video) => putVideo(client, video);

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
      client.removeQueries({ queryKey: queryKeys.video(video.id) });
      await Promise.all([client.invalidateQueries({ queryKey: queryKeys.videoLists }), client.invalidateQueries({ queryKey: queryKeys.me })]);
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
      <ImportForm />

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
            <button type="button" className="btn btn-small" onClick={() => void videoList.refetch()}>
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
