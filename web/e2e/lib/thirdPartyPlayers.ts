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

export { HLS_JS_BASE_CONFIG } from './hlsConfig';

/** Opens a bare page of the API's origin with the player's script loaded (window.shaka / dashjs / Hls). */
export async function openPlayerPage(page: Page, which: ThirdPartyPlayer): Promise<void> {
  await page.route(`**/__e2e/${which}.js`, (route) => route.fulfill({ path: scripts[which], contentType: 'text/javascript' }));
  await page.goto('/health/live');
  await page.addScriptTag({ url: `/__e2e/${which}.js` });
}
