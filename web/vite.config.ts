/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API serves web/dist in production; in dev, Vite proxies the API routes so the SPA and the
// API share one origin (cookies, EventSource) exactly as they do when the API serves the build.
const apiTarget = `http://127.0.0.1:${process.env.API_PORT || '8080'}`;

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/health': { target: apiTarget, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/health': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    // The build is public: maps would hand out the original source, comments included. The dev server
    // (npm run dev) still serves its own maps; tests/web/production-build.test.mjs holds this in place.
    sourcemap: false,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
