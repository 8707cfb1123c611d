import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { videos, type QoeWindow } from '../api';
import { QoeSection, QoeStatGrid } from './QoeFigures';

/** The owner's view of how playback of this video went for its viewers (GET /videos/{id}/qoe). */
export function QoePanel({ videoId }: { videoId: string }) {
  const [window, setWindow] = useState<QoeWindow>('24h');
  // Beacons arrive every 30 s per viewer: a minute-old figure is fresh enough, and no event announces them.
  const query = useQuery({ queryKey: ['video-qoe', videoId, window], queryFn: () => videos.qoe(videoId, window), refetchInterval: 30_000 });
  const q = query.data ?? null;
  return (
    <QoeSection title="Playback quality" heading="h2" headingId="qoe-heading" testId="qoe-panel" window={window} onWindow={setWindow} error={query.error} loading={!q}>
      {q && q.views === 0 && <p className="muted" data-testid="qoe-empty">No views reported in this window yet.</p>}
      {q && q.views > 0 && (
        <>
          <QoeStatGrid q={q} testId="qoe-figures" />
          <h3>Rendition mix</h3>
          <ul className="qoe-mix" data-testid="qoe-mix">
            {q.renditions.map((r) => (
              <li key={r.height} data-height={r.height} data-share={r.share}>
                <span className="qoe-mix-label">{r.height}p</span>
                <span className="qoe-mix-bar" style={{ width: `${Math.max(r.share * 100, 1)}%` }} />
                <span className="muted small">{Math.round(r.share * 100)} %</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </QoeSection>
  );
}
