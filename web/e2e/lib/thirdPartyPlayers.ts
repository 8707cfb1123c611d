// Other players (Shaka, dash.js, hls.js) on a bare page of the API's origin, so the page has the API's CSP
// (script-src 'self'): the player's script is served from that origin, never inlined.
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

const require = createRequire(import.meta.url);
const scripts = {
  shaka: require.resolve('shaka-player/dist/shaka-player.compiled.js'),
  dashjs: require.resolve('dashjs'),
  hlsjs: require.resolve('hls.js/dist/hls.min.js'),
} as const;
export type ThirdPartyPlayer = keyof typeof scripts;

/** hls.js settings every page of ours needs. The API's CSP has no `worker-src`, so it forbids the blob: Web Worker
 *  hls.js transmuxes in by default. hls.js learns that only when the worker's error event arrives, then falls back
 *  to the main thread, but a fragment it handed to the worker before that is lost and playback never starts. On a
 *  busy machine the first fragment often arrives first (seen in 2 of 10 runs at load average 20: "internalException
 *  demuxerWorker", then readyState 0 for good). Transmuxing on the main thread from the start has no such race. */
export const HLS_JS_BASE_CONFIG = { enableWorker: false } as const;

/** Opens a bare page of the API's origin with the player's script loaded (window.shaka / dashjs / Hls). */
export async function openPlayerPage(page: Page, which: ThirdPartyPlayer): Promise<void> {
  await page.route(`**/__e2e/${which}.js`, (route) => route.fulfill({ path: scripts[which], contentType: 'text/javascript' }));
  await page.goto('/health/live');
  await page.addScriptTag({ url: `/__e2e/${which}.js` });
}
