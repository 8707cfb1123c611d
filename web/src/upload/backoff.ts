/**
 * Retry schedule: exponential backoff with "full jitter" (delay = random × min(cap, base × 2^n)),
 * which spreads the retries of 4 parallel parts instead of having them hit the network in lockstep.
 * random and the clock are injected so tests are deterministic.
 */
export interface BackoffPolicy {
  /** Retries after the first attempt (design §4: 3). */
  retries: number;
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { retries: 3, baseMs: 1000, capMs: 20_000 };

/** Delay before retry number `retry` (1-based). */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** The whole schedule, handy for tests and for showing "retrying in…". */
export function backoffSchedule(policy: BackoffPolicy, random: () => number): number[] {
  return Array.from({ length: policy.retries }, (_, i) => backoffDelay(i + 1, policy, random));
}

/** Whether an HTTP answer from storage or the API is worth retrying. 0 = no answer at all. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}
