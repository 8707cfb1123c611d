import type { JobStats } from '../api';

/**
 * Succeeded/failed per minute as an inline SVG bar chart (no chart library for two series).
 * Bars stack succeeded (black) under failed (accent red), newest on the right.
 */
const MINUTES = 30;

/** The last 30 minutes, one slot per minute (missing minutes are zero), so bars keep their place. */
function lastMinutes(history: JobStats['history'], nowMs: number) {
  const byMinute = new Map(history.map((h) => [Math.floor(Date.parse(h.minute) / 60_000), h]));
  const end = Math.floor(nowMs / 60_000);
  return Array.from({ length: MINUTES }, (_, i) => {
    const minute = end - (MINUTES - 1 - i);
    const h = byMinute.get(minute);
    return { minute: new Date(minute * 60_000).toISOString(), succeeded: h?.succeeded ?? 0, failed: h?.failed ?? 0 };
  });
}

export function JobChart({ history }: { history: JobStats['history'] }) {
  const data = lastMinutes(history, Date.now());
  const width = 1000;
  const height = 160;
  const pad = 24;
  const max = Math.max(1, ...data.map((d) => d.succeeded + d.failed));
  const barW = data.length ? (width - pad * 2) / data.length : 0;
  const y = (v: number) => ((height - pad * 2) * v) / max;
  const total = data.reduce((acc, d) => ({ s: acc.s + d.succeeded, f: acc.f + d.failed }), { s: 0, f: 0 });
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Jobs in the last ${MINUTES} minutes: ${total.s} succeeded, ${total.f} failed`}>
        <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} stroke="#000" strokeWidth={2} />
        <text x={pad} y={pad - 8} fontSize={11} fontWeight={700}>
          max {max}/min
        </text>
        {data.map((d, i) => {
          const x = pad + i * barW + 1;
          const hs = y(d.succeeded);
          const hf = y(d.failed);
          return (
            <g key={d.minute}>
              <title>{`${new Date(d.minute).toLocaleTimeString()}: ${d.succeeded} succeeded, ${d.failed} failed`}</title>
              <rect x={x} y={height - pad - hs} width={Math.max(1, barW - 2)} height={hs} fill="#000" />
              <rect x={x} y={height - pad - hs - hf} width={Math.max(1, barW - 2)} height={hf} fill="#ff4d00" />
            </g>
          );
        })}
        {total.s + total.f === 0 && (
          <text x={width / 2} y={height / 2} textAnchor="middle" fontSize={13}>
            No jobs finished recently
          </text>
        )}
      </svg>
      <figcaption className="legend small">
        <span className="swatch swatch-ok" /> succeeded <span className="swatch swatch-fail" /> failed · per minute, last 30 minutes
      </figcaption>
    </figure>
  );
}
