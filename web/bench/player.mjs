// The player legs of the web bench: a clip processed by the real worker, then time to first frame,
// play-through stalls and seek-to-playing in headless Chromium.
import fs from 'node:fs';
import { median, sleep } from './lib.mjs';

/** Uploads the clip through the API (presigned PUTs) and waits for the worker to finish it. */
export async function processClip(admin, clip) {
  const bytes = fs.readFileSync(clip);
  const created = await admin.call('POST', '/api/v1/uploads', { fileName: 'bench-clip.mp4', size: bytes.length, contentType: 'video/mp4', title: 'bench clip', maxQuality: 1080 });
  const signed = created.url ? [{ partNumber: 1, url: created.url }] : await admin.call('POST', `/api/v1/uploads/${created.videoId}/parts/sign`, { partNumbers: Array.from({ length: created.partCount }, (_, i) => i + 1) });
  for (const s of signed) {
    const body = bytes.subarray((s.partNumber - 1) * created.partSize, s.partNumber * created.partSize);
    const r = await fetch(s.url, { method: 'PUT', body });
    if (!r.ok) throw new Error(`clip PUT: HTTP ${r.status}`);
    // recording is optional (and refused for an unsigned part number) in single mode
    if (created.mode !== 'single') await admin.call('PUT', `/api/v1/uploads/${created.videoId}/parts/${s.partNumber}`, { etag: r.headers.get('etag'), size: body.length });
  }
  await admin.call('POST', `/api/v1/uploads/${created.videoId}/complete`);
  const t0 = Date.now();
  for (;;) {
    const v = await admin.call('GET', `/api/v1/videos/${created.videoId}`);
    if (v.status === 'ready') return { video: v, processingSeconds: (Date.now() - t0) / 1000 };
    if (v.status === 'failed' || Date.now() - t0 > 20 * 60_000) throw new Error(`clip processing: ${v.status} ${v.lastError ?? ''}`);
    await sleep(500);
  }
}

/**
 * Runs in the page before the SPA: records, for the first <video>, the first presented frame
 * (requestVideoFrameCallback), the first timeupdate with currentTime > 0, and every `waiting`.
 * Times are performance.now(): milliseconds since the navigation started.
 */
export function playerProbe() {
  const probe = { firstFrame: null, firstTimeupdate: null, play: null, waiting: [], ended: null, video: null };
  window.__probe = probe;
  const hook = (v) => {
    if (probe.video) return;
    probe.video = v;
    const onFrame = (now, meta) => {
      if (meta.mediaTime > 0 || v.currentTime > 0) probe.firstFrame ??= now;
      if (probe.firstFrame === null) v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
  };
  const on = (type, fn) => document.addEventListener(type, (e) => e.target instanceof HTMLVideoElement && fn(e.target), true);
  on('loadstart', hook);
  on('play', (v) => {
    hook(v);
    probe.play ??= performance.now();
  });
  on('timeupdate', (v) => {
    if (v.currentTime > 0) probe.firstTimeupdate ??= performance.now();
  });
  on('waiting', (v) => probe.waiting.push({ at: performance.now(), t: v.currentTime, seeking: v.seeking }));
  on('ended', () => (probe.ended = performance.now()));
}

/** target: a video id (our watch page) or a path of its own (e.g. the Shaka Player bench page). */
export async function openPlayer(page, target) {
  await page.goto(target.startsWith('/') ? target : `/watch/${target}`);
  await page.waitForFunction(() => window.__probe?.firstFrame !== null && window.__probe?.firstTimeupdate !== null, null, { timeout: 60_000 });
  return page.evaluate(() => {
    const p = window.__probe;
    const v = p.video;
    return { firstFrameMs: Math.round(p.firstFrame), firstTimeupdateMs: Math.round(p.firstTimeupdate), playToFrameMs: p.play === null ? null : Math.round(p.firstFrame - p.play), height: v.videoHeight };
  });
}

/** The whole clip at 1x from the start: `waiting` events after the first frame are stalls. */
export async function playThrough(page, target, durationSeconds) {
  const first = await openPlayer(page, target);
  await page.waitForFunction(() => window.__probe.ended !== null, null, { timeout: (durationSeconds + 60) * 1000, polling: 500 });
  const r = await page.evaluate(() => {
    const p = window.__probe;
    const v = p.video;
    const q = v.getVideoPlaybackQuality?.();
    return {
      stalls: p.waiting.filter((w) => w.at > p.firstFrame).map((w) => ({ atMs: Math.round(w.at), t: w.t })),
      playSeconds: (p.ended - p.firstFrame) / 1000,
      endHeight: v.videoHeight,
      droppedFrames: q?.droppedVideoFrames ?? null,
      totalFrames: q?.totalVideoFrames ?? null,
    };
  });
  return { ...first, ...r };
}

/**
 * Seeks while playing, each to a time not buffered at that moment (the target moves forward in
 * 1 s steps until it is outside `buffered`). Seek-to-playing = from setting currentTime to the
 * first frame presented at/after the target while playing (requestVideoFrameCallback).
 */
export async function seeks(page, target, duration) {
  const first = await openPlayer(page, target);
  await page.waitForTimeout(1500);
  const fractions = [0.5, 0.15, 0.8, 0.35, 0.65, 0.25, 0.9, 0.05, 0.55];
  const out = [];
  for (const f of fractions) {
    const r = await page.evaluate(async ({ f, duration }) => {
      const v = window.__probe.video;
      const isBuffered = (t) => Array.from({ length: v.buffered.length }, (_, i) => [v.buffered.start(i), v.buffered.end(i)]).some(([s, e]) => t >= s && t < e);
      let target = f * duration;
      while (isBuffered(target) && target < duration - 3) target += 1;
      const unbuffered = !isBuffered(target);
      const waitingBefore = window.__probe.waiting.length;
      const start = performance.now();
      let seekedAt = null;
      v.addEventListener('seeked', () => (seekedAt = performance.now()), { once: true });
      const framed = new Promise((resolve) => {
        const onFrame = (now, meta) => {
          if (!v.seeking && !v.paused && meta.mediaTime >= target - 0.05) resolve(now);
          else v.requestVideoFrameCallback(onFrame);
        };
        v.requestVideoFrameCallback(onFrame);
      });
      v.currentTime = target;
      const frameAt = await Promise.race([framed, new Promise((r) => setTimeout(() => r(null), 15_000))]);
      return {
        target: Math.round(target * 10) / 10,
        unbuffered,
        seekedMs: seekedAt === null ? null : Math.round(seekedAt - start),
        playingMs: frameAt === null ? null : Math.round(frameAt - start),
        waitingEvents: window.__probe.waiting.length - waitingBefore,
      };
    }, { f, duration });
    out.push(r);
    await page.waitForTimeout(1000);
  }
  const measured = out.filter((s) => s.unbuffered && s.playingMs !== null).map((s) => s.playingMs);
  return { warmFirstFrameMs: first.firstFrameMs, seeks: out, seekMedianMs: median(measured), seekMaxMs: measured.length ? Math.max(...measured) : null, timedOut: out.filter((s) => s.playingMs === null).length };
}
