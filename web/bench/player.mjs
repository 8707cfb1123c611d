// The player legs of the web bench: a clip processed by the real worker, then time to first frame,
// play-through stalls and bitrate, and seek-to-playing in headless Chromium. One way of measuring for every
// player: the probe below is installed before any page script, and the figures come from the <video> element.
import fs from 'node:fs';
import { sleep } from './lib.mjs';

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
 * Runs in the page before any page script: records, for the first <video>, the first presented frame
 * (requestVideoFrameCallback), the first timeupdate with currentTime > 0, every `waiting`, and at every
 * timeupdate the media time and the picture height (what is on screen, whichever player put it there).
 * Times are performance.now(): milliseconds since the navigation started.
 */
export function playerProbe() {
  const probe = { firstFrame: null, firstTimeupdate: null, play: null, waiting: [], ended: null, video: null, heights: [] };
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
    if (v === probe.video) probe.heights.push([v.currentTime, v.videoHeight, v.seeking ? 1 : 0]);
  });
  on('waiting', (v) => probe.waiting.push({ at: performance.now(), t: v.currentTime, seeking: v.seeking }));
  on('ended', () => (probe.ended = performance.now()));
}

/**
 * target: a video id (our watch page) or a path of its own (a bench page). Resolves the first frame, or
 * { timedOut: true } after timeoutMs (a failed bench page counts as a timeout too, with its error): a
 * timeout is a result, never dropped.
 */
export async function openPlayer(page, target, { timeoutMs = 30_000 } = {}) {
  await page.goto(target.startsWith('/') ? target : `/watch/${target}`);
  try {
    await page.waitForFunction(() => window.__benchError || (window.__probe?.firstFrame !== null && window.__probe?.firstTimeupdate !== null), null, { timeout: timeoutMs });
  } catch (error) {
    if (!/Timeout/i.test(String(error?.message))) throw error;
  }
  return page.evaluate(() => {
    const p = window.__probe;
    const v = p.video;
    const error = window.__benchError ?? null;
    if (error || p.firstFrame === null || p.firstTimeupdate === null) return { timedOut: true, error, height: v?.videoHeight ?? null };
    return {
      timedOut: false,
      firstFrameMs: Math.round(p.firstFrame),
      firstTimeupdateMs: Math.round(p.firstTimeupdate),
      playToFrameMs: p.play === null ? null : Math.round(p.firstFrame - p.play),
      // the picture's height at the first frame, and what the player itself says it plays (bench pages only)
      height: v.videoHeight,
      reportedHeight: window.__bench?.reportedHeight() ?? null,
      player: window.__bench ? `${window.__bench.name} ${window.__bench.version}` : null,
    };
  });
}

/**
 * Played bitrate from the probe's timeupdate samples: each stretch of media time played (no seek between, under
 * 1.5 s) is counted at the nominal bandwidth of the rendition on screen at its start (by picture height, from
 * manifest.json: the MPD and the HLS playlists describe the same renditions). Switches: changes of picture height.
 */
export function playedBitrate(heights, bandwidthByHeight) {
  let seconds = 0;
  let bits = 0;
  let switches = 0;
  const byHeight = {};
  for (let i = 1; i < heights.length; i++) {
    const [t0, h0, seeking0] = heights[i - 1];
    const [t1, h1] = heights[i];
    if (h1 && h0 && h1 !== h0) switches++;
    const dt = t1 - t0;
    if (seeking0 || !(dt > 0 && dt < 1.5) || !bandwidthByHeight[h0]) continue;
    seconds += dt;
    bits += dt * bandwidthByHeight[h0];
    byHeight[h0] = (byHeight[h0] ?? 0) + dt;
  }
  return {
    playedSeconds: Math.round(seconds * 10) / 10,
    avgKbps: seconds ? Math.round(bits / seconds / 1000) : null,
    switches,
    secondsByHeight: Object.fromEntries(Object.entries(byHeight).map(([h, t]) => [h, Math.round(t * 10) / 10])),
  };
}

/**
 * The whole clip at 1x from the start: `waiting` events after the first frame are stalls. Options:
 *  - throttle: { downKbps, upKbps, latencyMs } applied with Chromium's network emulation (CDP) before navigating;
 *  - mediaOrigin: count the response bytes of every request to it (segments, playlists, manifests), to give
 *    the bits downloaded per second played beside the bitrate played;
 *  - bandwidthByHeight: { height: bits/s } for the played bitrate.
 */
export async function playThrough(page, target, durationSeconds, { throttle = null, mediaOrigin = null, bandwidthByHeight = {} } = {}) {
  if (throttle) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: throttle.latencyMs ?? 20,
      downloadThroughput: (throttle.downKbps * 1000) / 8,
      uploadThroughput: ((throttle.upKbps ?? throttle.downKbps) * 1000) / 8,
    });
  }
  let mediaBytes = 0;
  let mediaRequests = 0;
  const pending = [];
  if (mediaOrigin) {
    page.on('requestfinished', (req) => {
      if (!req.url().startsWith(mediaOrigin)) return;
      pending.push(req.sizes().then((sz) => { mediaBytes += sz.responseBodySize; mediaRequests++; }).catch(() => undefined));
    });
  }
  const first = await openPlayer(page, target, { timeoutMs: throttle ? 60_000 : 30_000 });
  if (first.timedOut) return { ...first, stalls: null, endedInTime: false };
  const endBy = (durationSeconds * (throttle ? 3 : 1) + 60) * 1000;
  let endedInTime = true;
  try {
    await page.waitForFunction(() => window.__probe.ended !== null, null, { timeout: endBy, polling: 500 });
  } catch (error) {
    if (!/Timeout/i.test(String(error?.message))) throw error;
    endedInTime = false;
  }
  const r = await page.evaluate(() => {
    const p = window.__probe;
    const v = p.video;
    const q = v.getVideoPlaybackQuality?.();
    return {
      stalls: p.waiting.filter((w) => w.at > p.firstFrame).map((w) => ({ atMs: Math.round(w.at), t: w.t })),
      wallSeconds: ((p.ended ?? performance.now()) - p.firstFrame) / 1000,
      endHeight: v.videoHeight,
      endReportedHeight: window.__bench?.reportedHeight() ?? null,
      droppedFrames: q?.droppedVideoFrames ?? null,
      totalFrames: q?.totalVideoFrames ?? null,
      heights: p.heights,
    };
  });
  await Promise.all(pending);
  const played = playedBitrate(r.heights, bandwidthByHeight);
  const { heights, ...rest } = r;
  return {
    ...first,
    ...rest,
    endedInTime,
    ...played,
    ...(mediaOrigin ? { mediaBytes, mediaRequests, downloadedKbpsPerPlayed: played.playedSeconds ? Math.round((mediaBytes * 8) / played.playedSeconds / 1000) : null } : {}),
  };
}

/**
 * Seeks while playing, each to a time not buffered at that moment (the target moves forward in
 * 1 s steps until it is outside `buffered`, else backward from the chosen time). Seek-to-playing = from setting currentTime to the
 * first frame presented at/after the target while playing (requestVideoFrameCallback). A seek that shows
 * no such frame within 15 s is a timeout: counted, never dropped. `fractions`: the targets, as parts of
 * the duration (the same for every player in a round).
 */
export async function seeks(page, target, duration, fractions) {
  const first = await openPlayer(page, target);
  if (first.timedOut) return { open: first, seeks: [], openTimedOut: true };
  await page.waitForTimeout(1500);
  const out = [];
  for (const f of fractions) {
    const r = await page.evaluate(async ({ f, duration }) => {
      const v = window.__probe.video;
      const isBuffered = (t) => Array.from({ length: v.buffered.length }, (_, i) => [v.buffered.start(i), v.buffered.end(i)]).some(([s, e]) => t >= s && t < e);
      let target = f * duration;
      while (isBuffered(target) && target < duration - 3) target += 1;
      // nothing unbuffered ahead (a player that buffers far, a short clip): look behind the chosen time instead
      for (let back = f * duration; isBuffered(target) && back >= 1; back -= 1) target = back;
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
        timedOut: frameAt === null,
        waitingEvents: window.__probe.waiting.length - waitingBefore,
        height: v.videoHeight,
      };
    }, { f, duration });
    out.push(r);
    await page.waitForTimeout(1000);
  }
  return { open: first, seeks: out, openTimedOut: false };
}
