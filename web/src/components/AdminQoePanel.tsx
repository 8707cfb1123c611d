import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { admin, type QoeWindow } from '../api';
import { formatRatio, formatStartup, QoeSection, QoeStatGrid } from './QoeFigures';

/** The admin dashboard's QoE overview: totals over every video and the ones that played worst (GET /admin/qoe). */
export function AdminQoePanel() {
  const [window, setWindow] = useState<QoeWindow>('24h');
  const query = useQuery({ queryKey: ['admin-qoe', window], queryFn: () => admin.qoe(window), refetchInterval: 30_000 });
  const o = query.data ?? null;
  return (
    <QoeSection title="Playback quality" heading="h3" headingId="admin-qoe-title" testId="admin-qoe" window={window} onWindow={setWindow} error={query.error} loading={!o}>
      {o && (
        <>
          <QoeStatGrid q={o.totals} testId="admin-qoe-totals" />
          {o.worstVideos.length > 0 && (
            <table className="table" data-testid="admin-qoe-worst">
              <thead>
                <tr>
                  <th>Video</th>
                  <th>Views</th>
                  <th>Median startup</th>
                  <th>Rebuffer ratio</th>
                  <th>Errors</th>
                </tr>
              </thead>
              <tbody>
                {o.worstVideos.map((v) => (
                  <tr key={v.videoId}>
                    <td>
                      <Link to={`/watch/${v.videoId}`}>{v.title}</Link>
                    </td>
                    <td>{v.views}</td>
                    <td>{formatStartup(v.medianStartupSeconds)}</td>
                    <td>{formatRatio(v.rebufferRatio)}</td>
                    <td>{v.fatalErrors}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </QoeSection>
  );
}
