import { useState } from 'react';
import { admin, errorMessage, type Video, type VideoStatus } from '../../api';
import { Link } from '../../app/router';
import { useToast } from '../../app/toasts';
import { useAsync } from '../../app/usePolling';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { StatusBadge } from '../../components/StatusBadge';
import { formatBytes, formatDate, formatTime } from '../../lib/format';
import { AdminNav } from './AdminNav';

const STATUSES: (VideoStatus | '')[] = ['', 'pending_upload', 'uploading', 'processing', 'ready', 'failed'];
const PAGE_SIZE = 25;

export function AdminVideosPage() {
  const toast = useToast();
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<VideoStatus | ''>('');
  const [toDelete, setToDelete] = useState<Video | null>(null);
  const { data, error, reload } = useAsync(() => admin.videos(page, PAGE_SIZE, status || undefined), [page, status]);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  const hardDelete = async () => {
    const v = toDelete;
    setToDelete(null);
    if (!v) return;
    try {
      await admin.deleteVideo(v.id);
      toast(`Deleted "${v.title}" (rows and storage).`, 'success');
      await reload();
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  };

  return (
    <div className="page admin">
      <h1>Administration</h1>
      <AdminNav />
      <div className="row between wrap gap">
        <h2>All videos {data && <span className="muted">({data.total})</span>}</h2>
        <label className="field inline">
          <span>Status</span>
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as VideoStatus | '');
              setPage(1);
            }}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'all'}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Owner</th>
              <th scope="col">Status</th>
              <th scope="col">Size</th>
              <th scope="col">Duration</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((v) => (
              <tr key={v.id}>
                <td>{v.status === 'ready' ? <Link to={`/watch/${encodeURIComponent(v.id)}`}>{v.title}</Link> : v.title}</td>
                <td>{v.ownerEmail}</td>
                <td>
                  <StatusBadge status={v.status} />
                  {v.status === 'processing' && <span className="small"> {Math.round(v.progress)}%</span>}
                </td>
                <td>{formatBytes(v.sizeBytes)}</td>
                <td>{v.durationSeconds != null ? formatTime(v.durationSeconds) : '–'}</td>
                <td>{formatDate(v.createdAt)}</td>
                <td>
                  <button type="button" className="btn btn-small btn-danger" onClick={() => setToDelete(v)} aria-label={`Hard delete ${v.title}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {data && data.items.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">
                  No videos.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav className="row gap center pager" aria-label="Pages">
          <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            ← Previous
          </button>
          <span>
            Page {page} of {pages}
          </span>
          <button type="button" className="btn btn-small" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next →
          </button>
        </nav>
      )}
      <ConfirmDialog open={toDelete !== null} title="Hard delete this video?" confirmLabel="Delete for good" danger onConfirm={() => void hardDelete()} onCancel={() => setToDelete(null)}>
        <p>
          “{toDelete?.title}” by {toDelete?.ownerEmail}: its rows and every storage object go away.
        </p>
      </ConfirmDialog>
    </div>
  );
}
