// What global-setup.ts learnt about the running stack, for the tests (they run in worker processes).
import path from 'node:path';
import { repoRoot } from '../../../scripts/lib/util.mjs';

export const ARTIFACTS = path.join(repoRoot, 'tests/artifacts/e2e');

export interface StackInfo {
  apiUrl: string;
  cdnUrl: string | null;
  dataDir: string;
  s3: { endpoint: string; bucket: string; accessKey: string; secretKey: string; region: string };
  env: Record<string, string>;
  /** The launcher's control endpoint (scripts/stack.mjs --control). */
  controlUrl?: string;
}

export function stackInfo(): StackInfo {
  const raw = process.env.E2E_STACK_INFO;
  if (!raw) throw new Error('E2E_STACK_INFO is not set: run the tests through playwright.config.ts (npm run test:e2e -w web)');
  return JSON.parse(raw) as StackInfo;
}

/** The launcher's pid (node scripts/stack.mjs): every stack process descends from it. */
export function stackPid(): number {
  const pid = Number(process.env.E2E_STACK_PID);
  if (!(pid > 0)) throw new Error('E2E_STACK_PID is not set');
  return pid;
}

/**
 * Asks the launcher to act on its own processes and waits until it is done: 'api/kill' (SIGKILL), 'api/start'
 * (same port), 's3/stop', 's3/start' (also after its processes were killed), 'postgres/restart'.
 */
export async function stackControl(action: string): Promise<void> {
  const { controlUrl } = stackInfo();
  if (!controlUrl) throw new Error('the stack was started without --control');
  const res = await fetch(`${controlUrl}/${action}`, { method: 'POST' });
  if (!res.ok) throw new Error(`stack control ${action}: ${res.status} ${await res.text()}`);
}
