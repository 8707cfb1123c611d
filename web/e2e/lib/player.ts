// What the browser specs read from our watch page's player: the video element, the player's data attributes and
// media events counted from before the player exists. One probe for every spec that follows playback.
import type { Page } from '@playwright/test';

export interface PlayerProbe {
  currentTime: number;
  duration: number;
  paused: boolean;
  ended: boolean;
  readyState: number;
  videoHeight: number;
  /** The player's data-status ('error' when it gave up). */
  status: string | null;
  /** 'true' / 'false' once a manifest is read: whether it is the complete one. */
  complete: string | null;
  /** Waiting at the published end of a growing video. */
  waitingForMore: boolean;
  /** Seconds published so far, from the seek bar (null when the whole video is). */
  available: number | null;
  /** The "still processing" note is shown. */
  note: boolean;
  endedEvents: number;
  waitingEvents: number;
  errors: string[];
}

type Counters = { ended: number; waiting: number; errors: string[] };

/** Counts 'ended', 'waiting' and element errors for every page the context opens from now on. Media events do not
 *  bubble, so they are counted in the capture phase. */
export async function countMediaEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __sf: Counters };
    w.__sf = { ended: 0, waiting: 0, errors: [] };
    document.addEventListener('ended', () => (w.__sf.ended += 1), true);
    document.addEventListener('waiting', () => (w.__sf.waiting += 1), true);
    document.addEventListener('error', (e) => {
      const v = e.target;
      if (v instanceof HTMLVideoElement) w.__sf.errors.push(v.error?.message || String(v.error?.code));
    }, true);
  });
}

/** The player's state now, or null before its video element exists. */
export function probePlayer(page: Page): Promise<PlayerProbe | null> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid=player] video');
    const player = document.querySelector('[data-testid=player]');
    const available = document.querySelector('[data-testid=seek-available]')?.getAttribute('data-available');
    const sf = (window as unknown as { __sf?: Counters }).__sf;
    return v && {
      currentTime: v.currentTime, duration: v.duration, paused: v.paused, ended: v.ended, readyState: v.readyState,
      videoHeight: v.videoHeight, status: player?.getAttribute('data-status') ?? null,
      complete: player?.getAttribute('data-complete') ?? null,
      waitingForMore: player?.getAttribute('data-waiting-for-more') === 'true',
      available: available ? Number(available) : null,
      note: document.querySelector('[data-testid=player-processing]') !== null,
      endedEvents: sf?.ended ?? 0, waitingEvents: sf?.waiting ?? 0, errors: sf?.errors ?? [],
    };
  });
}

/** The probe of a player that exists and has not failed; a failure throws with the page's own error text. */
export async function healthyPlayer(page: Page): Promise<PlayerProbe> {
  const p = await probePlayer(page);
  if (!p) throw new Error('no video element');
  if (p.status === 'error' || p.errors.length) {
    const text = await page.getByTestId('player-error').textContent().catch(() => null);
    throw new Error(`player error: ${text ?? p.errors.join('; ')}`);
  }
  return p;
}
