import { formatBytes } from '../lib/format';

export function QuotaBar({ used, quota }: { used: number; quota: number | null }) {
  if (quota === null) {
    return (
      <div className="quota" data-testid="quota">
        <span className="quota-label">Storage: {formatBytes(used)} used · unlimited</span>
      </div>
    );
  }
  const pct = quota > 0 ? Math.min(100, (used / quota) * 100) : 100;
  return (
    <div className="quota" data-testid="quota">
      <span className="quota-label" id="quota-label">
        Storage: {formatBytes(used)} of {formatBytes(quota)}
      </span>
      <div className="bar" role="progressbar" aria-labelledby="quota-label" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
        <div className={`bar-fill ${pct > 90 ? 'bar-warn' : ''}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
