// Bench pages (our uploader, Uppy, raw XHR; the player pages: our MsePlayer, Shaka Player, dash.js, hls.js): built into web/dist/__bench/ after the stack has
// built the SPA, so the API serves them from the SPA's origin with the SPA's headers (CSP included): the same
// cookies, the same storage CORS, the same connection limits as the real app. `web/bench/peers.mjs` builds them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/__bench/',
  logLevel: 'warn',
  build: {
    outDir: path.resolve(here, '..', '..', 'dist', '__bench'),
    chunkSizeWarningLimit: 2000,
    emptyOutDir: true,
    rollupOptions: { input: { upload: path.join(here, 'upload.html'), resume: path.join(here, 'resume.html'), ...Object.fromEntries(['ours', 'shaka', 'dashjs', 'hlsjs'].map((n) => [n, path.join(here, `${n}.html`)])) } },
  },
});
