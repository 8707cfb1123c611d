import { Ewma } from './ewma';

/**
 * Throughput estimate from segment downloads: a fast (2 s) and a slow (5 s) EWMA, taking the
 * minimum so a sudden drop is believed at once and a sudden rise only after it lasts (shaka's
 * EwmaBandwidthEstimator). Tiny downloads are skipped: their timing is mostly latency.
 */
export interface BandwidthEstimatorOptions {
  defaultEstimate: number; // bits/s until enough was measured
  minBytes: number; // ignore samples smaller than this
  minTotalBytes: number; // trust the estimate after this many bytes
}

export const DEFAULT_ESTIMATOR_OPTIONS: BandwidthEstimatorOptions = {
  defaultEstimate: 1_000_000,
  minBytes: 16_000,
  minTotalBytes: 128_000,
};

export class BandwidthEstimator {
  private readonly fast = new Ewma(2);
  private readonly slow = new Ewma(5);
  private bytesSampled = 0;

  constructor(private readonly options: BandwidthEstimatorOptions = DEFAULT_ESTIMATOR_OPTIONS) {}

  /** One finished download: `bytes` in `durationMs`. */
  sample(durationMs: number, bytes: number): void {
    if (bytes < this.options.minBytes) return;
    const ms = Math.max(durationMs, 8); // a cached response can "take" 0 ms
    const bitsPerSecond = (8000 * bytes) / ms;
    const weight = ms / 1000;
    this.bytesSampled += bytes;
    this.fast.sample(weight, bitsPerSecond);
    this.slow.sample(weight, bitsPerSecond);
  }

  hasGoodEstimate(): boolean {
    return this.bytesSampled >= this.options.minTotalBytes;
  }

  /** Bits per second. */
  getEstimate(): number {
    if (!this.hasGoodEstimate()) return this.options.defaultEstimate;
    return Math.min(this.fast.getEstimate(), this.slow.getEstimate());
  }
}
