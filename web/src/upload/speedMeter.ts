/**
 * Upload speed as a time-weighted EWMA (half-life 3 s) of byte deltas, and the ETA from it.
 * Time-weighting makes the estimate independent of how often progress events arrive.
 */
export class SpeedMeter {
  private lastBytes: number | null = null;
  private lastTime = 0;
  private estimate = 0;
  private weight = 0;

  constructor(
    private readonly halfLifeMs = 3000,
    /** Samples closer together than this are merged (progress events can fire every few ms). */
    private readonly minSampleMs = 200,
  ) {}

  /** Feed the total bytes sent so far. A drop (aborted in-flight parts) re-bases without a sample. */
  update(totalBytes: number, nowMs: number): void {
    if (this.lastBytes === null || totalBytes < this.lastBytes) {
      this.lastBytes = totalBytes;
      this.lastTime = nowMs;
      return;
    }
    const dt = nowMs - this.lastTime;
    if (dt < this.minSampleMs) return;
    const rate = ((totalBytes - this.lastBytes) * 1000) / dt;
    const alpha = 1 - Math.pow(0.5, dt / this.halfLifeMs);
    this.estimate = alpha * rate + (1 - alpha) * this.estimate;
    this.weight = alpha + (1 - alpha) * this.weight;
    this.lastBytes = totalBytes;
    this.lastTime = nowMs;
  }

  /** Bytes per second, corrected for the zero start (like shaka's EWMA). */
  bytesPerSecond(): number {
    return this.weight > 0 ? this.estimate / this.weight : 0;
  }

  etaSeconds(remainingBytes: number): number | null {
    const speed = this.bytesPerSecond();
    if (remainingBytes <= 0) return 0;
    return speed > 0 ? remainingBytes / speed : null;
  }

  reset(): void {
    this.lastBytes = null;
    this.estimate = 0;
    this.weight = 0;
  }
}
