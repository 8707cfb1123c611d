// Starts the real ephemeral stack (PostgreSQL, S3 server, CDN, API, one worker) once per run and
// hands its STACK_READY info to the tests through the environment; the returned function stops it.
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { launchStack } from '../../scripts/lib/stack-client.mjs';
import { repoRoot } from '../../scripts/lib/util.mjs';
import { ARTIFACTS } from './lib/env';

// 5 MiB parts and threshold: a 40 MB clip becomes 8 parts, so pause and reload land between parts.
const STACK_ENV = {
  Uploads__MultipartThresholdBytes: '5242880',
  Uploads__PartSizeBytes: '5242880',
  Media__Preset: 'ultrafast',
  // Every spec signs up fresh users from 127.0.0.1; the production limit (5 a minute per address)
  // would fail whichever spec comes after the busiest minute. Its behaviour has its own .NET tests.
  Auth__RegistrationsPerMinute: '1000',
  // Two s3rver processes behind the launcher's socket (the default on 2 cores, pinned here): the
  // storage-outage test stops them while the launcher itself keeps running.
  LOCAL_S3_PROCESSES: '2',
};

export default async function globalSetup(_config: FullConfig) {
  const stack = launchStack({
    // E2E_NO_BUILD=1 reuses the solution's existing build (the SPA is still rebuilt).
    // --control: the fault specs kill and restart the API and the S3 server through the launcher, which keeps owning them
    args: ['--api', '--workers', '1', '--build-web', '--control', ...(process.env.E2E_NO_BUILD ? ['--no-build'] : [])],
    env: STACK_ENV,
    logFile: path.join(ARTIFACTS, 'stack.log'),
    stopTimeoutMs: 20_000,
    cleanup: false, // stopped by the teardown returned below, in Playwright's own process
  });
  let info;
  try {
    info = await stack.ready;
  } catch (error) {
    await stack.stop();
    throw error;
  }
  if (!info.apiUrl) {
    await stack.stop();
    throw new Error('STACK_READY has no apiUrl (did --api start?)');
  }
  process.stderr.write(`[e2e] stack: api ${info.apiUrl}, s3 ${info.s3?.endpoint} (log: ${path.relative(repoRoot, path.join(ARTIFACTS, 'stack.log'))})\n`);
  process.env.E2E_STACK_INFO = JSON.stringify(info);
  process.env.E2E_STACK_PID = String(stack.pid);
  return async () => {
    await stack.stop();
  };
}
