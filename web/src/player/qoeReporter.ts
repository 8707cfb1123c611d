import type { QoeCollector, ViewReport } from './qoeCollector';

/** How a batch leaves the page; the default is sendBeacon, else fetch with keepalive (both survive unload). */
export type BeaconSend = (url: string, body: string) => void;

export interface QoeReporterOptions {
  endpoint?: string;
  intervalMs?: number;
  send?: BeaconSend;
  /** Injected for tests; the browser's by default. */
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  document?: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
  window?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
}

/** The server takes at most this many views per report (ViewReportRules.MaxViewsPerBatch). */
export const MAX_VIEWS_PER_BATCH = 10;

/**
 * Sends the cumulative reports of its collectors to POST /api/v1/views: every interval, when the page is hidden and
 * on pagehide (the last moments a beacon reliably leaves), and when stopped. A view whose figures did not change
 * since its last send is left out. Reports are cumulative, so a lost beacon costs nothing: the next one carries all.
 */
export class QoeReporter {
  private readonly collectors = new Set<QoeCollector>();
  private readonly lastSent = new Map<string, string>();
  private readonly endpoint: string;
  private readonly send: BeaconSend;
  private handle: unknown = null;
  private readonly onVisibility = () => {
    if (this.options.document?.visibilityState === 'hidden') this.flush();
  };
  private readonly onPageHide = () => this.flush();

  constructor(private readonly options: QoeReporterOptions = {}) {
    this.endpoint = options.endpoint ?? '/api/v1/views';
    this.send = options.send ?? sendBeaconOrFetch;
  }

  start(): void {
    const every = this.options.setInterval ?? ((fn, ms) => globalThis.setInterval(fn, ms));
    this.handle = every(() => this.flush(), this.options.intervalMs ?? 30_000);
    this.options.document?.addEventListener('visibilitychange', this.onVisibility);
    this.options.window?.addEventListener('pagehide', this.onPageHide);
  }

  add(collector: QoeCollector): void {
    this.collectors.add(collector);
  }

  /** Sends the collector's last figures and forgets it. */
  remove(collector: QoeCollector): void {
    this.flush([collector]);
    this.collectors.delete(collector);
    this.lastSent.delete(collector.viewId);
  }

  stop(): void {
    this.flush();
    if (this.handle !== null) (this.options.clearInterval ?? ((h) => globalThis.clearInterval(h as ReturnType<typeof setInterval>)))(this.handle);
    this.handle = null;
    this.options.document?.removeEventListener('visibilitychange', this.onVisibility);
    this.options.window?.removeEventListener('pagehide', this.onPageHide);
  }

  flush(only: Iterable<QoeCollector> = this.collectors): void {
    const due: ViewReport[] = [];
    for (const c of only) {
      const report = c.report();
      // Nothing seen yet (no first frame, no error): nothing to tell.
      if (report.startupMs === null && report.fatalErrors === 0 && report.watchSeconds === 0) continue;
      const text = JSON.stringify(report);
      if (this.lastSent.get(report.viewId) === text) continue;
      this.lastSent.set(report.viewId, text);
      due.push(report);
    }
    for (let i = 0; i < due.length; i += MAX_VIEWS_PER_BATCH)
      this.send(this.endpoint, JSON.stringify({ views: due.slice(i, i + MAX_VIEWS_PER_BATCH) }));
  }
}

/**
 * text/plain keeps the beacon a "simple" request (no preflight, accepted by every sendBeacon); the API reads it as
 * JSON. The page's cookies ride along, which the endpoint ignores.
 */
export function sendBeaconOrFetch(url: string, body: string): void {
  const blob = new Blob([body], { type: 'text/plain;charset=UTF-8' });
  if (typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(url, blob)) return;
  void fetch(url, { method: 'POST', body, keepalive: true, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } }).catch(() => undefined);
}
