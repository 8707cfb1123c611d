/**
 * Exponentially weighted moving average whose weight decays with the *duration* of each sample
 * (shaka-player's ewma.js): a 2-second download counts more than a 20 ms one.
 */
export class Ewma {
  private readonly alpha: number;
  private estimate = 0;
  private totalWeight = 0;

  constructor(halfLifeSeconds: number) {
    this.alpha = Math.exp(Math.log(0.5) / halfLifeSeconds);
  }

  sample(weight: number, value: number): void {
    const adjAlpha = Math.pow(this.alpha, weight);
    this.estimate = value * (1 - adjAlpha) + adjAlpha * this.estimate;
    this.totalWeight += weight;
  }

  /** Corrected for the zero initial value so early estimates are not biased low. */
  getEstimate(): number {
    const correction = 1 - Math.pow(this.alpha, this.totalWeight);
    return correction > 0 ? this.estimate / correction : 0;
  }
}
