import type { VideoRepresentation } from './manifest';

/**
 * The ABR decision, separate from measuring (BandwidthEstimator) and fetching (TrackStreamer),
 * like shaka's SimpleAbrManager. Called at every segment boundary; returns the rung for the next
 * video segment.
 */
export interface AbrConfig {
  /** A switch goes to the highest rung whose bandwidth ≤ safety × estimate. */
  safetyFactor: number;
  /**
   * The current rung is kept while its bandwidth ≤ stay × estimate. Above `safetyFactor`, so an estimate that
   * wobbles around a rung's threshold does not flip between two rungs (shaka's up/downgrade targets).
   */
  staySafetyFactor: number;
  /** A downswitch made with less than this many seconds buffered uses `panicSafetyFactor` (goes lower at once). */
  lowBufferSeconds: number;
  panicSafetyFactor: number;
  /** Switch up only with this much buffered, and not sooner than `minUpSwitchIntervalMs` after a switch. */
  upSwitchMinBufferSeconds: number;
  minUpSwitchIntervalMs: number;
}

export const DEFAULT_ABR_CONFIG: AbrConfig = {
  safetyFactor: 0.8,
  staySafetyFactor: 0.9,
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
  if (current.bandwidth > estimateBps * config.staySafetyFactor) {
    // The link no longer carries this rung: down at once, and further when the buffer is nearly gone. A low buffer
    // alone never starts a downswitch: at startup the buffer is low because playback just began, and the first
    // measured segments of a rung the link does carry must not drop it (that cost a switch down and back up).
    const panic = bufferAheadSeconds < config.lowBufferSeconds;
    const lower = rungForBudget(rungs, estimateBps * (panic ? config.panicSafetyFactor : config.safetyFactor));
    return lower.bandwidth < current.bandwidth ? lower : current;
  }
  const higher = rungForBudget(rungs, estimateBps * config.safetyFactor);
  const settled = input.nowMs - input.lastSwitchMs >= config.minUpSwitchIntervalMs;
  if (higher.bandwidth > current.bandwidth && settled && bufferAheadSeconds >= config.upSwitchMinBufferSeconds) return higher;
  return current;
}
