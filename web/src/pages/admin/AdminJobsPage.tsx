import { useEffect, useRef, useState } from 'react';
import { admin, type Job, type JobState } from '../../api';
import { Link, navigate } from '../../app/router';
import { useAsync } from '../../app/usePolling';
import { useToastAction } from '../../app/useToastAction';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { JobChart } from '../../components/JobChart';
import { formatDate } from '../../lib/format';
import { AdminPage } from './AdminNav';

const STATES: JobState[] = ['scheduled', 'processing', 'succeeded', 'failed'];
const POLL_MS = 3000;

function ms(value: number | null): string {
  if (value == null) return '–';
  return value < 1000 ? `${value} ms` : `${(value / 1000).toFixed(1)} s`;
}

function jobCount(n: number): string {
  return `${n} job${n === 1 ? '' : 's'}`;
}

function attemptCount(job: Job): number {
  return Array.isArray(job.attempts) ? job.attempts.length : job.attempts;
}

/** Hangfire-like dashboard: counts, live chart, state tabs with bulk actions, detail, workers. */
export function AdminJobsPage({ selectedId }: { selectedId?: string }) {
  const run = useToastAction();
  const [state, setState] = useState<JobState>('processing');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmDelete, setConfirmDelete] = useState<string[] | null>(null);
  const stats = useAsync(() => admin.jobStats(), [], POLL_MS);
  const jobs = useAsync(() => admin.jobs(state), [state], POLL_MS);
  const workers = useAsync(() => admin.workers(), [], POLL_MS);
  const detail = useAsync(() => (selectedId ? admin.job(selectedId) : Promise.resolve(null)), [selectedId], selectedId ? POLL_MS : undefined);

  const detailRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (selectedId) detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [selectedId]);

  const items = jobs.data?.items ?? [];
  const allSelected = items.length > 0 && items.every((j) => selected.has(j.videoId));

  const showState = (s: JobState) => {
    setState(s);
    setSelected(new Set());
  };

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const refreshAll = () => {
    void stats.reload();
    void jobs.reload();
    void detail.reload();
  };

  /** A bulk action: toast the outcome; on success clear the selection and refresh everything. */
  const bulk = async <T,>(action: () => Promise<T>, success: (result: T) => string) => {
    if (!(await run(action, success))) return;
    setSelected(new Set());
    refreshAll();
  };
  const requeue = (ids: string[]) => bulk(() => admin.requeue(ids), (r) => `Requeued ${jobCount(r.requeued)}.`);
  const remove = (ids: string[]) => {
    setConfirmDelete(null);
    return bulk(() => admin.deleteJobs(ids), (r) => `Deleted ${jobCount(r.deleted)}.`);
  };

  return (
    <AdminPage>
      <h2>Jobs</h2>
      {stats.error && <p className="alert alert-error" role="alert">{stats.error}</p>}
      <div className="stat-grid">
        {STATES.map((s) => (
          <button
            key={s}
            type="button"
            className={`stat stat-${s} ${state === s ? 'stat-active' : ''}`}
            onClick={() => showState(s)}
            aria-pressed={state === s}
            data-testid={`stat-${s}`}
          >
            <span className="stat-count">{stats.data ? stats.data[s] : '–'}</span>
            <span className="stat-label">{s}</span>
          </button>
        ))}
      </div>
      <section className="panel">
        <h3>Throughput</h3>
        <JobChart history={stats.data?.history ?? []} />
      </section>

      <section className="panel" aria-labelledby="job-list-title">
        <div className="tabs" role="tablist" aria-label="Job state">
          {STATES.map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              aria-selected={state === s}
              className={`tab ${state === s ? 'tab-active' : ''}`}
              onClick={() => showState(s)}
            >
              {s} {stats.data ? `(${stats.data[s]})` : ''}
            </button>
          ))}
        </div>
        <h3 id="job-list-title" className="visually-hidden">
          {state} jobs
        </h3>
        <div className="row gap wrap bulk">
          <button type="button" className="btn btn-small" disabled={selected.size === 0} onClick={() => void requeue([...selected])}>
            Requeue selected ({selected.size})
          </button>
          <button type="button" className="btn btn-small btn-danger" disabled={selected.size === 0} onClick={() => setConfirmDelete([...selected])}>
            Delete selected ({selected.size})
          </button>
        </div>
        <DataTable
          columns={[
            <input
              type="checkbox"
              aria-label="Select all"
              checked={allSelected}
              onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((j) => j.videoId)))}
            />,
            'Video',
            'Owner',
            'Worker',
            state === 'scheduled' ? 'Enqueued' : 'Started',
            state === 'failed' ? 'Error' : 'Duration / latency',
            'Attempts',
          ]}
          actions
          error={jobs.error}
          empty={jobs.data && items.length === 0 ? `No ${state} jobs.` : undefined}
          testId="jobs-table"
        >
          {items.map((j) => (
            <tr key={j.videoId} data-testid="job-row" data-video-id={j.videoId} className={selectedId === j.videoId ? 'row-selected' : ''}>
              <td>
                <input type="checkbox" aria-label={`Select ${j.title}`} checked={selected.has(j.videoId)} onChange={() => toggle(j.videoId)} />
              </td>
              <td>
                <Link to={`/admin/jobs/${encodeURIComponent(j.videoId)}`}>{j.title || j.videoId}</Link>
              </td>
              <td>{j.ownerEmail}</td>
              <td>{j.worker ?? '–'}</td>
              <td>{formatDate(state === 'scheduled' ? j.enqueuedAt : j.startedAt)}</td>
              <td className={state === 'failed' ? 'error-cell' : ''}>
                {state === 'failed' ? (
                  <span className="clamp" title={j.lastError ?? ''}>
                    {j.lastError ?? '–'}
                  </span>
                ) : (
                  `${ms(j.durationMs)} / ${ms(j.queueLatencyMs)}`
                )}
              </td>
              <td>{attemptCount(j)}</td>
              <td className="nowrap">
                <button type="button" className="btn btn-small" onClick={() => void requeue([j.videoId])} aria-label={`Requeue ${j.title}`}>
                  Requeue
                </button>{' '}
                <button type="button" className="btn btn-small btn-danger" onClick={() => setConfirmDelete([j.videoId])} aria-label={`Delete job of ${j.title}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      </section>

      {selectedId && (
        <section ref={detailRef} className="panel job-detail" aria-labelledby="job-detail-title" data-testid="job-detail">
          <div className="row between">
            <h3 id="job-detail-title">Job {detail.data?.title ?? selectedId}</h3>
            <button type="button" className="btn btn-small" onClick={() => navigate('/admin/jobs')}>
              Close
            </button>
          </div>
          {detail.error && <p className="alert alert-error">{detail.error}</p>}
          {detail.data && (
            <>
              <dl className="facts">
                <div><dt>State</dt><dd>{detail.data.state}</dd></div>
                <div><dt>Owner</dt><dd>{detail.data.ownerEmail}</dd></div>
                <div><dt>Enqueued</dt><dd>{formatDate(detail.data.enqueuedAt)}</dd></div>
                <div><dt>Duration</dt><dd>{ms(detail.data.durationMs)}</dd></div>
                <div><dt>Queue latency</dt><dd>{ms(detail.data.queueLatencyMs)}</dd></div>
              </dl>
              {detail.data.lastError && <pre className="error-block">{detail.data.lastError}</pre>}
              <h4>Attempts</h4>
              <DataTable columns={['#', 'Worker', 'Started', 'Finished', 'Outcome', 'Error']}>
                {detail.data.attempts.map((a) => (
                  <tr key={a.attempt}>
                    <td>{a.attempt}</td>
                    <td>{a.worker ?? '–'}</td>
                    <td>{formatDate(a.startedAt)}</td>
                    <td>{formatDate(a.finishedAt)}</td>
                    <td>
                      <span className={`badge badge-${a.outcome}`}>{a.outcome}</span>
                    </td>
                    <td>{a.error ? <pre className="error-block small">{a.error}</pre> : '–'}</td>
                  </tr>
                ))}
              </DataTable>
              <div className="row gap">
                <button type="button" className="btn btn-small" onClick={() => void requeue([detail.data?.videoId ?? selectedId])}>
                  Requeue this job
                </button>
              </div>
            </>
          )}
        </section>
      )}

      <section className="panel">
        <h3>Workers</h3>
        {workers.error && <p className="alert alert-error">{workers.error}</p>}
        <DataTable
          columns={['Name', 'Last heartbeat', 'Running / capacity']}
          empty={workers.data && workers.data.length === 0 ? 'No worker has reported in.' : undefined}
          testId="workers-table"
        >
          {workers.data?.map((w) => {
            const age = (Date.now() - Date.parse(w.lastHeartbeat)) / 1000;
            return (
              <tr key={w.name}>
                <td>
                  <span className={`dot ${age < 30 ? 'dot-ok' : 'dot-stale'}`} aria-hidden="true" /> {w.name}
                </td>
                <td>
                  {formatDate(w.lastHeartbeat)} {Number.isFinite(age) && <span className="muted">({Math.max(0, Math.round(age))} s ago)</span>}
                </td>
                <td>
                  {w.running} / {w.capacity}
                </td>
              </tr>
            );
          })}
        </DataTable>
      </section>

      <ConfirmDialog
        open={confirmDelete !== null}
        title={`Delete ${confirmDelete?.length ?? 0} job(s)?`}
        confirmLabel="Delete"
        danger
        onConfirm={() => void remove(confirmDelete ?? [])}
        onCancel={() => setConfirmDelete(null)}
      >
        <p>The job history goes away; the videos stay.</p>
      </ConfirmDialog>
    </AdminPage>
  );
}
