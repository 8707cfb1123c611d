import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { admin, type Video, type VideoStatus } from '../../api';
import { Link } from 'react-router';
import { adminVideosQuery, errorText } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';
import { useToastAction } from '../../app/useToastAction';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { Pager } from '../../components/Pager';
import { StatusBadge } from '../../components/StatusBadge';
import { formatBytes, formatDate, formatTime } from '../../lib/format';
import { AdminPage } from './AdminNav';

const STATUSES: (VideoStatus | '')[] = ['', 'pending_upload', 'uploading', 'processing', 'ready', 'failed'];
const PAGE_SIZE = 25;

export function AdminVideosPage() {
  const run = useToastAction();
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<VideoStatus | ''>('');
  const [toDelete, setToDelete] = useState<Video | null>(null);
  const client = useQueryClient();
  // Kept live by the shell: status and progress follow the video events.
  const { data, error } = useQuery(adminVideosQuery(page, PAGE_SIZE, status || undefined));
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  const hardDelete = async () => {
    const v = toDelete;
    setToDelete(null);
    if (!v) return;
    if (await run(() => admin.deleteVideo(v.id), `Deleted "${v.title}" (rows and storage).`)) {
      client.removeQueries({ queryKey: queryKeys.video(v.id) });
      await Promise.all([client.invalidateQueries({ queryKey: queryKeys.admin }), client.invalidateQueries({ queryKey: queryKeys.videoLists })]);
    }
  };

  return (
    <AdminPage>
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
      <DataTable
        columns={['Title', 'Owner', 'Status', 'Size', 'Duration', 'Created']}
        actions
        error={errorText(error)}
        empty={data?.items.length === 0 ? 'No videos.' : undefined}
      >
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
      </DataTable>
      <Pager page={page} pages={pages} onPage={setPage} />
      <ConfirmDialog open={toDelete !== null} title="Hard delete this video?" confirmLabel="Delete for good" danger onConfirm={() => void hardDelete()} onCancel={() => setToDelete(null)}>
        <p>
          “{toDelete?.title}” by {toDelete?.ownerEmail}: its rows and every storage object go away.
        </p>
      </ConfirmDialog>
    </AdminPage>
  );
}
