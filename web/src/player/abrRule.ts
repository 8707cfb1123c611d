import type { VideoRepresentation } from './manifest';

/**
 * The ABR decision, separate from measuring (BandwidthEstimator) and fetching (TrackStreamer),
 * like shaka's SimpleAbrManager. Called at every segment boundary; returns the rung for the next
 * video segment.
 */
export interface AbrConfig {
  /** Choose the highest rung whose bandwidth ≤ safety × estimate. */
  safetyFactor: number;
  /** Below this many seconds buffered, use `panicSafetyFactor` (switch down fast). */
  lowBufferSeconds: number;
  panicSafetyFactor: number;
  /** Switch up only with this much buffered, and not sooner than `minUpSwitchIntervalMs` after a switch. */
  upSwitchMinBufferSeconds: number;
  minUpSwitchIntervalMs: number;
}

export const DEFAULT_ABR_CONFIG: AbrConfig = {
  safetyFactor: 0.8,
  lowBufferSeconds: 4,
  panicSafetyFactor: 0.5,
  upSwitchMinBufferSeconds: 8,
  minUpSwitchIntervalMs: 8000,
};

/** Startup rung: the highest whose height fits the player's pixel height (CSS × DPR), else the lowest. */
export function initialRung(rungs: readonly VideoRepresentation[], playerPixelHeight: number): VideoRepresentation {
  const sorted = [...rungs].sort((a, b) => a.bandwidth - b.bandwidth);
  const lowest = sorted[0];
  if (!lowest) throw new Error('no video renditions');
  let chosen = lowest;
  for (const r of sorted) if (r.height <= playerPixelHeight + 1) chosen = r;
  return chosen;
}

/** Highest rung whose bandwidth ≤ budget; the lowest when none fits. */
export function rungForBudget(rungs: readonly VideoRepresentation[], budgetBps: number): VideoRepresentation {
  const sorted = [...rungs].sort((a, b) => a.bandwidth - b.bandwidth);
  const lowest = sorted[0];
  if (!lowest) throw new Error('no video renditions');
  let chosen = lowest;
  for (const r of sorted) if (r.bandwidth <= budgetBps) chosen = r;
  return chosen;
}

export interface AbrInput {
  rungs: readonly VideoRepresentation[];
  current: VideoRepresentation;
  estimateBps: number;
  hasGoodEstimate: boolean;
  bufferAheadSeconds: number;
  nowMs: number;
  lastSwitchMs: number;
}

export function chooseRung(input: AbrInput, config: AbrConfig = DEFAULT_ABR_CONFIG): VideoRepresentation {
  const { rungs, current, estimateBps, bufferAheadSeconds } = input;
  // Without a real measurement, stay where the startup rule put us.
  if (!input.hasGoodEstimate) return current;
  const panic = bufferAheadSeconds < config.lowBufferSeconds;
  const candidate = rungForBudget(rungs, estimateBps * (panic ? config.panicSafetyFactor : config.safetyFactor));
  if (candidate.bandwidth < current.bandwidth) return candidate; // down: at once
  if (candidate.bandwidth > current.bandwidth) {
    const settled = input.nowMs - input.lastSwitchMs >= config.minUpSwitchIntervalMs;
    if (settled && bufferAheadSeconds >= config.upSwitchMinBufferSeconds) return candidate;
  }
  return current;
}
