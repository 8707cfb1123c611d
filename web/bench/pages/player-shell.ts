// The shell every player bench page shares (ours, Shaka Player, dash.js, hls.js): the same <video> (1280×720
// CSS px, muted, playsinline: the four .html pages differ only in title and script), the same query (?src=<manifest URL>&pin=<height>|auto&pinBps=<that rung's bandwidth>)
// and the same read-back (window.__bench), so the bench drives and reads every player one way. The timing probe
// is not here: the bench installs it before any page script (web/bench/player.mjs playerProbe).
export interface BenchHandle {
  name: string;
  version: string;
  /** The rendition height the player says it is playing now (its own API, not the element's). */
  reportedHeight: () => number | null;
}

export interface BenchParams {
  src: string;
  /** Pinned rendition height, or null for the player's own ABR (default configuration). */
  pin: number | null;
  /** The pinned rung's bandwidth (bits/s) as manifest.json states it: dash.js picks its start rung by bitrate. */
  pinBps: number | null;
  video: HTMLVideoElement;
}

export function benchParams(): BenchParams {
  const q = new URL(location.href).searchParams;
  const src = q.get('src');
  if (!src) throw new Error('?src= is required');
  const pin = q.get('pin');
  return { src, pin: pin && pin !== 'auto' ? Number(pin) : null, pinBps: q.get('pinBps') ? Number(q.get('pinBps')) : null, video: document.getElementById('video') as HTMLVideoElement };
}

/** Runs a page's start-up; whatever throws is recorded for the bench (window.__benchError) and logged. */
export async function runBench(start: (p: BenchParams) => Promise<BenchHandle>): Promise<void> {
  const w = window as unknown as { __bench?: BenchHandle; __benchError?: string };
  try {
    w.__bench = await start(benchParams());
  } catch (error) {
    w.__benchError = String((error as Error)?.stack ?? error);
    console.error('bench page failed', error);
  }
}
