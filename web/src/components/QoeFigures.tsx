import type { ReactNode } from 'react';
import { errorMessage, type QoeSummary, type QoeWindow } from '../api';

/** Seconds as a startup time reads: "850 ms", "2.4 s", "–" before any view showed a frame. */
export function formatStartup(seconds: number | null): string {
  if (seconds == null) return '–';
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(1)} s`;
}

export function formatRatio(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.01 ? 2 : 1)} %`;
}

export function formatBitrate(bps: number | null): string {
  if (bps == null) return '–';
  return bps >= 1_000_000 ? `${(bps / 1_000_000).toFixed(1)} Mbit/s` : `${Math.round(bps / 1000)} kbit/s`;
}

/** The 24 h / 7 d switch both QoE panels share. */
export function WindowToggle({ value, onChange }: { value: QoeWindow; onChange: (w: QoeWindow) => void }) {
  return (
    <div role="group" aria-label="Time window" className="qoe-window">
      {(['24h', '7d'] as const).map((w) => (
        <button
          key={w}
          type="button"
          className={`btn btn-small ${value === w ? 'btn-primary' : 'btn-ghost'}`}
          aria-pressed={value === w}
          data-testid={`qoe-window-${w}`}
          onClick={() => onChange(w)}
        >
          {w === '24h' ? '24 h' : '7 days'}
        </button>
      ))}
    </div>
  );
}

/** The headline figures of a QoE summary, each with its raw value in data-value for tests and scrapers. */
export function QoeStatGrid({ q, testId }: { q: QoeSummary; testId: string }) {
  const items: [string, string, string, number | null][] = [
    ['views', 'Views', String(q.views), q.views],
    ['startup', 'Median startup', formatStartup(q.medianStartupSeconds), q.medianStartupSeconds],
    ['rebuffer-ratio', 'Rebuffer ratio', formatRatio(q.rebufferRatio), q.rebufferRatio],
    ['rebuffers', 'Rebuffers', String(q.rebuffers), q.rebuffers],
    ['bitrate', 'Average bitrate', formatBitrate(q.averageBitrateBps), q.averageBitrateBps],
    ['errors', 'Playback errors', String(q.fatalErrors), q.fatalErrors],
  ];
  return (
    <div className="stat-grid" data-testid={testId}>
      {items.map(([id, label, value, raw]) => (
        <div key={id} className={`stat figure ${id === 'errors' && q.fatalErrors > 0 ? 'stat-failed' : ''}`} data-testid={`qoe-${id}`} data-value={raw ?? ''}>
          <span className="stat-count">{value}</span>
          <span className="stat-label">{label}</span>
        </div>
      ))}
    </div>
  );
}

/** The frame both QoE panels share: a heading with the window toggle, the error or loading line, then the figures. */
export function QoeSection(props: {
  title: string;
  heading: 'h2' | 'h3';
  headingId: string;
  testId: string;
  window: QoeWindow;
  onWindow: (w: QoeWindow) => void;
  error: unknown;
  loading: boolean;
  children: ReactNode;
}) {
  const Heading = props.heading;
  return (
    <section className="panel qoe-panel" data-testid={props.testId} aria-labelledby={props.headingId}>
      <div className="qoe-head">
        <Heading id={props.headingId}>{props.title}</Heading>
        <WindowToggle value={props.window} onChange={props.onWindow} />
      </div>
      {props.error != null && (
        <p className="alert alert-error" role="alert">
          {errorMessage(props.error)}
        </p>
      )}
      {props.loading && props.error == null && <p className="muted">Loading…</p>}
      {props.children}
    </section>
  );
}
