import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { admin, type JobState } from '../../api';
import { Link, useNavigate, useParams } from 'react-router';
import { errorText, jobQuery, jobStatsQuery, jobsQuery, workersQuery } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';
import { useToastAction } from '../../app/useToastAction';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { JobChart } from '../../components/JobChart';
import { formatDate } from '../../lib/format';
import { AdminPage } from './AdminNav';

const STATES: JobState[] = ['scheduled', 'processing', 'succeeded', 'failed'];

function ms(value: number | null): string {
  if (value == null) return '–';
  return value < 1000 ? `${value} ms` : `${(value / 1000).toFixed(1)} s`;
}

function jobCount(n: number): string {
  return `${n} job${n === 1 ? '' : 's'}`;
}

/** Hangfire-like dashboard: counts, live chart, state tabs with bulk actions, detail, workers. */
export function AdminJobsPage() {
  const { id: selectedId } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const run = useToastAction();
  const [state, setState] = useState<JobState>('processing');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmDelete, setConfirmDelete] = useState<string[] | null>(null);
  // Jobs follow the video events (the shell invalidates the admin queries on every status change);
  // counts, chart and workers also re-read every few seconds, as heartbeats have no event.
  const stats = useQuery(jobStatsQuery);
  const jobs = useQuery(jobsQuery(state));
  const workers = useQuery(workersQuery);
  const detail = useQuery({ ...jobQuery(selectedId ?? ''), enabled: Boolean(selectedId) });
  const job = detail.data?.job ?? null;

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

  const refreshAll = () => void client.invalidateQueries({ queryKey: queryKeys.admin });

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
      {stats.error && <p className="alert alert-error" role="alert">{errorText(stats.error)}</p>}
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
          error={errorText(jobs.error)}
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
              <td>{j.attempts}</td>
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
            <h3 id="job-detail-title">Job {job?.title || selectedId}</h3>
            <button type="button" className="btn btn-small" onClick={() => void navigate('/admin/jobs')}>
              Close
            </button>
          </div>
          {detail.error && <p className="alert alert-error">{errorText(detail.error)}</p>}
          {detail.data && job && (
            <>
              <dl className="facts" data-testid="job-facts" data-state={job.state}>
                <div><dt>State</dt><dd>{job.state}</dd></div>
                <div><dt>Owner</dt><dd>{job.ownerEmail ?? '–'}</dd></div>
                <div><dt>Worker</dt><dd>{job.worker ?? '–'}</dd></div>
                <div><dt>Enqueued</dt><dd>{formatDate(job.enqueuedAt)}</dd></div>
                <div><dt>Duration</dt><dd>{ms(job.durationMs)}</dd></div>
                <div><dt>Queue latency</dt><dd>{ms(job.queueLatencyMs)}</dd></div>
                <div><dt>Attempts</dt><dd>{job.attempts}</dd></div>
              </dl>
              {job.lastError && <pre className="error-block">{job.lastError}</pre>}
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
                <button type="button" className="btn btn-small" onClick={() => void requeue([job.videoId])}>
                  Requeue this job
                </button>
              </div>
            </>
          )}
        </section>
      )}

      <section className="panel">
        <h3>Workers</h3>
        {workers.error && <p className="alert alert-error">{errorText(workers.error)}</p>}
        <DataTable
          columns={['Name', 'State', 'Last heartbeat', 'Running jobs']}
          empty={workers.data && workers.data.length === 0 ? 'No worker has reported in.' : undefined}
          testId="workers-table"
        >
          {workers.data?.map((w) => {
            const age = w.lastHeartbeat ? (Date.now() - Date.parse(w.lastHeartbeat)) / 1000 : Number.NaN;
            return (
              <tr key={w.name} data-testid="worker-row" data-running={w.running}>
                <td>
                  <span className={`dot ${age < 30 ? 'dot-ok' : 'dot-stale'}`} aria-hidden="true" /> {w.name}
                  {w.isApi && <span className="muted"> (this API node)</span>}
                </td>
                <td>{w.state}</td>
                <td>
                  {formatDate(w.lastHeartbeat)} {Number.isFinite(age) && <span className="muted">({Math.max(0, Math.round(age))} s ago)</span>}
                </td>
                <td>{w.isApi ? '–' : w.running}</td>
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
