// Plumbing of the processing benches: sources, uploads through the API, waiting for `ready`, measured phases.
import fs from 'node:fs';
import path from 'node:path';
import { argv, childPids, log, machineCpu, run, videoEvents, waitQuiet } from './common.mjs';

/**
 * Records the ffmpeg/ffprobe processes a worker starts (sampled every 50 ms): command line, kind, and when each
 * was first and last seen (ms after t0), for a stage timeline.
 */
export function watchFfmpeg(workerPid, t0 = Date.now()) {
  const seen = new Map();
  const kindOf = (args) => (path.basename(args[0]) === 'ffprobe' ? 'probe'
    : args.includes('dash') ? 'ladder' : args.some((x) => x.includes('tile=')) ? 'sprites' : args.includes('-frames:v') ? 'poster' : 'ffmpeg');
  const tick = () => {
    const now = Date.now() - t0;
    for (const p of childPids(workerPid, '')) {
      const known = seen.get(p);
      if (known) { known.end = now; continue; }
      const args = argv(p);
      if (!/^ff(mpeg|probe)$/.test(path.basename(args[0] ?? ''))) continue;
      seen.set(p, { pid: p, kind: kindOf(args), args, start: now, end: now });
    }
  };
  const timer = setInterval(tick, 50);
  return {
    stop() { clearInterval(timer); return [...seen.values()]; },
    timeline: () => [...seen.values()].map((x) => `${x.kind} ${(x.start / 1000).toFixed(1)}–${(x.end / 1000).toFixed(1)} s`).join(', '),
  };
}


export const ffmpegGen = (out, { size, rate = 30, seconds, video, vf }) => [
  '-hide_banner', '-nostdin', '-v', 'error', '-y',
  '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`,
  '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
  ...(vf ? ['-vf', vf] : []),
  ...video, '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', out,
];

export async function mustRun(what, cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  return r;
}

/** Uploads a local file through the API as docs/api.md says (single PUT or multipart, 4 parts in flight). */
export async function uploadFile(api, file, { title, maxQuality } = {}) {
  const size = fs.statSync(file).size;
  const created = await api.call('POST', '/api/v1/uploads', { fileName: path.basename(file), size, contentType: 'video/mp4', title: title ?? path.basename(file), ...(maxQuality ? { maxQuality } : {}) });
  const put = async (url, body) => {
    const res = await fetch(url, { method: 'PUT', body, signal: AbortSignal.timeout(120_000) });
    if (!res.ok) throw new Error(`storage PUT → ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return res.headers.get('etag');
  };
  if (created.mode === 'single') {
    await put(created.url, fs.readFileSync(file));
    return { videoId: created.videoId, size, mode: 'single', parts: 1 };
  }
  const fh = await fs.promises.open(file, 'r');
  try {
    const numbers = Array.from({ length: created.partCount }, (_, i) => i + 1);
    const urls = new Map();
    for (let i = 0; i < numbers.length; i += 100) {
      for (const s of await api.call('POST', `/api/v1/uploads/${created.videoId}/parts/sign`, { partNumbers: numbers.slice(i, i + 100) })) urls.set(s.partNumber, s.url);
    }
    let next = 0;
    const lane = async () => {
      while (next < numbers.length) {
        const n = numbers[next++];
        const offset = (n - 1) * created.partSize;
        const len = Math.min(created.partSize, size - offset);
        const buf = Buffer.allocUnsafe(len);
        const { bytesRead } = await fh.read(buf, 0, len, offset);
        if (bytesRead !== len) throw new Error(`short read of part ${n}`);
        const etag = await put(urls.get(n), buf);
        await api.call('PUT', `/api/v1/uploads/${created.videoId}/parts/${n}`, { etag, size: len });
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
  } finally { await fh.close(); }
  return { videoId: created.videoId, size, mode: 'multipart', parts: created.partCount };
}

/**
 * POST complete, then wait for the worker's `ready` (or `failed`) event on the SSE stream, as the SPA does, and
 * confirm it with one GET (signing in again through relogin() if the token expired meanwhile). Returns
 * client-side timings (ms); tReady is when the event arrived.
 */
export async function completeAndWait(api, videoId, { timeoutMs, relogin } = {}) {
  const events = await videoEvents(api.baseUrl, api.token);
  try {
    const settled = events.until((e) => e.videoId === videoId && ['ready', 'failed'].includes(e.status), timeoutMs);
    settled.catch(() => {}); // awaited below; a rejection before then must not count as unhandled
    const t0 = Date.now();
    await api.call('POST', `/api/v1/uploads/${videoId}/complete`);
    const tAccepted = Date.now();
    const { at: tReady } = await settled;
    // an access token lives 15 min and a 10-minute source can take longer than that to process
    const get = () => api.call('GET', `/api/v1/videos/${videoId}`);
    const v = await get().catch(async (e) => {
      if (!relogin || !/→ 401/.test(String(e?.message))) throw e;
      await relogin();
      return get();
    });
    if (v.status !== 'ready') throw new Error(`video ${videoId} is ${v.status}: ${v.lastError ?? 'no error'}`);
    return { t0, tAccepted, tReady, video: v };
  } finally {
    await events.close();
  }
}

/**
 * Runs one measured phase after a quiet gate; own() = CPU seconds of what the phase runs (so far).
 * Returns { value, wallMs, ownCpuS, otherCores (busy cores not ours during the phase), gate }.
 */
export async function phase(tag, own, fn, stackCpu) {
  const gate = await waitQuiet({ ownCpu: stackCpu, tag });
  if (gate.waitedS > 1) log(tag, `waited ${gate.waitedS.toFixed(0)} s for a quiet machine`);
  const m0 = machineCpu(), o0 = own(), s0 = stackCpu(), t0 = Date.now();
  const value = await fn();
  const m1 = machineCpu(), o1 = own(), s1 = stackCpu(), wallMs = Date.now() - t0;
  const ownCpuS = o1 - o0;
  const stackS = own === stackCpu ? 0 : s1 - s0;
  return { value, wallMs, ownCpuS, otherCores: Math.max(0, (m1.busy - m0.busy) - ownCpuS - stackS) / (wallMs / 1000), gate };
}

export const jobOf = (api, videoId) => api.call('GET', `/api/v1/admin/jobs/${videoId}`);
