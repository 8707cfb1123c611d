// No Node imports here: the browser bench pages (web/bench/pages) bundle this too.

/** hls.js settings every page of ours needs. The API's CSP has no `worker-src`, so it forbids the blob: Web Worker
 *  hls.js transmuxes in by default. hls.js learns that only when the worker's error event arrives, then falls back
 *  to the main thread, but a fragment it handed to the worker before that is lost and playback never starts. On a
 *  busy machine the first fragment often arrives first (seen in 2 of 10 runs at load average 20: "internalException
 *  demuxerWorker", then readyState 0 for good). Transmuxing on the main thread from the start has no such race. */
export const HLS_JS_BASE_CONFIG = { enableWorker: false } as const;
