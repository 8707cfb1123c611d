// Browser tests (`npm run test:e2e -w web`): Debian's Chromium against the real ephemeral stack,
// which e2e/global-setup.ts starts once for the whole run. One worker: the tests share that stack,
// and some of them stop its processes on purpose.
//   E2E_NO_BUILD=1   reuse the existing .NET build (the SPA is still rebuilt)
//   E2E_HEADED=1     show the browser (needs a display)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../scripts/lib/browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.resolve(here, '../tests/artifacts/e2e');

export default defineConfig({
  testDir: './e2e',
  testMatch: '*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // Each test waits on real work (uploads, transcoding); the whole run stays a few minutes.
  timeout: 180_000,
  globalTimeout: 30 * 60_000, // includes building the solution and the SPA
  expect: { timeout: 15_000 },
  // `list` ends with "N passed" / "N failed" lines, which scripts/test.mjs adds up.
  reporter: [['list']],
  outputDir: path.join(artifacts, 'results'),
  use: {
    headless: !process.env.E2E_HEADED,
    viewport: { width: 1280, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'off',
    actionTimeout: 15_000,
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  },
});
