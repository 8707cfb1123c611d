/**
 * Seek-bar preview thumbnails: a WebVTT whose cues point into sprite sheets with a media
 * fragment, e.g. `sprite_001.jpg#xywh=160,0,160,90`.
 */
export interface ThumbnailCue {
  start: number;
  end: number;
  /** Absolute sprite URL (without the fragment). */
  url: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** "01:02:03.500" or "02:03.500" → seconds. */
export function parseVttTime(text: string): number {
  const parts = text.trim().split(':');
  let seconds = 0;
  for (const part of parts) seconds = seconds * 60 + Number(part.replace(',', '.'));
  return Number.isFinite(seconds) ? seconds : NaN;
}

export function parseThumbnailVtt(vtt: string, vttUrl: string): ThumbnailCue[] {
  const cues: ThumbnailCue[] = [];
  const blocks = vtt.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split('\n').map((l) => l.trim()).filter(Boolean);
    const timingIndex = lines.findIndex((l) => l.includes('-->'));
    if (timingIndex < 0) continue;
    const [from = '', to = ''] = (lines[timingIndex] ?? '').split('-->');
    const target = lines[timingIndex + 1];
    if (!target) continue;
    const start = parseVttTime(from);
    const end = parseVttTime(to.trim().split(/\s+/)[0] ?? '');
    const hashAt = target.indexOf('#xywh=');
    if (hashAt < 0 || !Number.isFinite(start) || !Number.isFinite(end)) continue;
    const [x, y, w, h] = target.slice(hashAt + 6).split(',').map(Number);
    if ([x, y, w, h].some((n) => n === undefined || !Number.isFinite(n))) continue;
    cues.push({ start, end, url: new URL(target.slice(0, hashAt), vttUrl).href, x: x ?? 0, y: y ?? 0, w: w ?? 0, h: h ?? 0 });
  }
  return cues.sort((a, b) => a.start - b.start);
}

/** The cue covering `t` (binary search); past the end, the last cue. */
export function thumbnailAt(cues: readonly ThumbnailCue[], t: number): ThumbnailCue | null {
  if (cues.length === 0) return null;
  let lo = 0;
  let hi = cues.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((cues[mid]?.start ?? Infinity) <= t) lo = mid;
    else hi = mid - 1;
  }
  return cues[lo] ?? null;
}

export async function loadThumbnails(vttUrl: string, fetchFn: typeof fetch = fetch, signal?: AbortSignal): Promise<ThumbnailCue[]> {
  const response = await fetchFn(vttUrl, { signal });
  if (!response.ok) throw new Error(`thumbnails: HTTP ${response.status}`);
  return parseThumbnailVtt(await response.text(), vttUrl);
}
