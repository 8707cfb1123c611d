import type { ReactNode } from 'react';
import type { AdminStats } from '../../api';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { adminStatsQuery, errorText } from '../../app/queries';
import { AdminQoePanel } from '../../components/AdminQoePanel';
import { DataTable } from '../../components/DataTable';
import { formatBytes, formatEta } from '../../lib/format';
import { AdminPage } from './AdminNav';

/** Seconds as the on-call person reads them: "–" for nothing waiting, else "42 s", "3:05". */
function age(seconds: number): string {
  return seconds > 0 ? formatEta(seconds) : '–';
}

function Figure({ id, label, value, raw, detail, warn }: { id: string; label: string; value: ReactNode; raw: number; detail?: ReactNode; warn?: boolean }) {
  return (
    <div className={`stat figure ${warn ? 'stat-failed' : ''}`} data-testid={`figure-${id}`} data-value={raw}>
      <span className="stat-count">{value}</span>
      <span className="stat-label">{label}</span>
      {detail && <span className="figure-detail">{detail}</span>}
    </div>
  );
}

/** The admin landing page: what the service holds and what it is doing now, from GET /admin/stats. */
export function AdminDashboardPage() {
  // Re-read on video events and every few seconds (adminStatsQuery): queue age and heartbeats move on their own.
  const stats = useQuery(adminStatsQuery);
  const s: AdminStats | null = stats.data ?? null;
  const error = errorText(stats.error);
  return (
    <AdminPage>
      <h2>Overview</h2>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!s && !error && <p className="muted">Loading figures…</p>}
      {s && (
        <>
          <section className="panel" aria-labelledby="figures-title">
            <h3 id="figures-title">Now</h3>
            <div className="stat-grid" data-testid="admin-figures">
              <Figure id="queue-waiting" label="Queue depth" raw={s.queue.waiting} value={s.queue.waiting} detail="jobs waiting for a worker" />
              <Figure
                id="queue-oldest"
                label="Oldest waiting"
                raw={s.queue.oldestWaitSeconds}
                value={age(s.queue.oldestWaitSeconds)}
                warn={s.queue.oldestWaitSeconds > 60}
              />
              <Figure id="jobs-running" label="Jobs running" raw={s.queue.running} value={s.queue.running} />
              <Figure
                id="workers-busy"
                label="Workers busy"
                raw={s.workers.busy}
                value={`${s.workers.busy} / ${s.workers.online}`}
                detail={s.workers.online === 0 ? 'no worker online' : `${s.workers.online} online`}
                warn={s.workers.online === 0}
              />
              <Figure
                id="uploads-active"
                label="Uploads active"
                raw={s.uploads.active}
                value={s.uploads.active}
                detail={`${formatBytes(s.uploads.bytes)} declared`}
              />
            </div>
          </section>

          <section className="panel" aria-labelledby="day-title">
            <h3 id="day-title">Last 24 hours</h3>
            <div className="stat-grid">
              <Figure id="jobs-succeeded" label="Jobs succeeded" raw={s.succeededLastDay} value={s.succeededLastDay} />
              <Figure id="jobs-failed" label="Jobs failed" raw={s.failedLastDay} value={s.failedLastDay} warn={s.failedLastDay > 0} />
              <Figure
                id="median-processing"
                label="Median processing"
                raw={s.medianProcessingSecondsLastDay ?? 0}
                value={s.medianProcessingSecondsLastDay === null ? '–' : `${s.medianProcessingSecondsLastDay.toFixed(1)} s`}
              />
            </div>
            <p className="small">
              <Link to="/admin/jobs">Job dashboard →</Link>
            </p>
          </section>

          <section className="panel" aria-labelledby="storage-title">
            <h3 id="storage-title">Storage</h3>
            <div className="stat-grid">
              <Figure
                id="storage-total"
                label="Storage used (all users)"
                raw={s.storageUsedBytes}
                value={formatBytes(s.storageUsedBytes)}
                detail={`${s.users} user${s.users === 1 ? '' : 's'} · ${s.videos} video${s.videos === 1 ? '' : 's'}`}
              />
            </div>
            <h4 className="section-gap">Largest accounts</h4>
            <DataTable
              columns={['User', 'Used', 'Quota', 'Share of total']}
              empty={s.topStorageUsers.length === 0 ? 'No account stores anything yet.' : undefined}
              testId="top-storage-users"
            >
              {s.topStorageUsers.map((u) => (
                <tr key={u.id} data-testid="top-storage-user" data-email={u.email} data-bytes={u.storageUsedBytes}>
                  <td>{u.email}</td>
                  <td>{formatBytes(u.storageUsedBytes)}</td>
                  <td>{u.quotaBytes === null ? 'unlimited' : formatBytes(u.quotaBytes)}</td>
                  <td>{s.storageUsedBytes > 0 ? `${Math.round((u.storageUsedBytes / s.storageUsedBytes) * 100)} %` : '–'}</td>
                </tr>
              ))}
            </DataTable>
            <p className="small">
              <Link to="/admin/users">All users and quotas →</Link>
            </p>
          </section>
        </>
      )}
      <AdminQoePanel />
    </AdminPage>
  );
}
