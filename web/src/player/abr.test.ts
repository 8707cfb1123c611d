import { describe, expect, it } from 'vitest';
import { chooseRung, initialRung, rungForBudget, type AbrInput } from './abrRule';
import { BandwidthEstimator } from './bandwidthEstimator';
import { Ewma } from './ewma';
import { sampleManifest } from './testFakes';

const rungs = sampleManifest(1).video; // 360p 600k, 480p 1M, 720p 2.5M
const [r360, r480, r720] = rungs as [typeof rungs[0], typeof rungs[0], typeof rungs[0]];

describe('Ewma and BandwidthEstimator', () => {
  it('converges to a constant input', () => {
    const e = new Ewma(2);
    for (let i = 0; i < 10; i++) e.sample(1, 5_000_000);
    expect(e.getEstimate()).toBeCloseTo(5_000_000);
  });
  it('uses the default until enough bytes were measured, ignores tiny samples', () => {
    const est = new BandwidthEstimator({ defaultEstimate: 500_000, minBytes: 16_000, minTotalBytes: 128_000 });
    est.sample(1, 1000);
    expect(est.getEstimate()).toBe(500_000);
    est.sample(100, 100_000); // 8 Mbit/s
    expect(est.hasGoodEstimate()).toBe(false);
    est.sample(100, 100_000);
    expect(est.hasGoodEstimate()).toBe(true);
    expect(est.getEstimate()).toBeCloseTo(8_000_000, -3);
  });
  it('believes a drop at once (min of fast and slow)', () => {
    const est = new BandwidthEstimator();
    for (let i = 0; i < 10; i++) est.sample(1000, 1_250_000); // 10 Mbit/s
    est.sample(2000, 250_000); // 1 Mbit/s for 2 s
    expect(est.getEstimate()).toBeLessThan(6_000_000);
  });
});

describe('ABR rule', () => {
  it('starts on the highest rung that fits the player height (CSS × DPR), at least the lowest', () => {
    expect(initialRung(rungs, 540).id).toBe('480p');
    expect(initialRung(rungs, 720).id).toBe('720p');
    expect(initialRung(rungs, 1440).id).toBe('720p');
    expect(initialRung(rungs, 200).id).toBe('360p');
  });

  it('picks the highest bandwidth under the budget', () => {
    expect(rungForBudget(rungs, 2_000_000).id).toBe('480p');
    expect(rungForBudget(rungs, 100).id).toBe('360p');
  });

  const base: AbrInput = { rungs, current: r480, estimateBps: 1_000_000, hasGoodEstimate: true, bufferAheadSeconds: 10, nowMs: 100_000, lastSwitchMs: 0 };

  it('keeps the startup rung without a good estimate', () => {
    expect(chooseRung({ ...base, estimateBps: 1, hasGoodEstimate: false }).id).toBe('480p');
  });
  it('applies the 0.8 safety factor', () => {
    expect(chooseRung({ ...base, estimateBps: 3_200_000 }).id).toBe('720p'); // 2.56M budget
    expect(chooseRung({ ...base, estimateBps: 3_000_000 }).id).toBe('480p'); // 2.4M budget
  });
  it('switches down at once, harder when the buffer is low', () => {
    expect(chooseRung({ ...base, current: r720, estimateBps: 1_500_000 }).id).toBe('480p');
    expect(chooseRung({ ...base, current: r720, estimateBps: 1_500_000, bufferAheadSeconds: 2 }).id).toBe('360p');
  });
  it('keeps a rung the link carries even with a low buffer, as at startup', () => {
    // 2.5M ≤ 0.9 × 3M: the first segments measured at 720p keep it, though only 1 s is buffered yet.
    expect(chooseRung({ ...base, current: r720, estimateBps: 3_000_000, bufferAheadSeconds: 1 }).id).toBe('720p');
  });
  it('does not flip between two rungs on an estimate near the threshold', () => {
    // At 2.9M: 720p stays (2.5M ≤ 0.9 × 2.9M) but 480p does not climb to it (2.5M > 0.8 × 2.9M).
    expect(chooseRung({ ...base, current: r720, estimateBps: 2_900_000 }).id).toBe('720p');
    expect(chooseRung({ ...base, current: r480, estimateBps: 2_900_000 }).id).toBe('480p');
    // Below the stay threshold it goes down to what the safety factor allows.
    expect(chooseRung({ ...base, current: r720, estimateBps: 2_700_000 }).id).toBe('480p');
  });
  it('switches up only with enough buffer and not right after a switch', () => {
    const fast = { ...base, current: r360, estimateBps: 10_000_000 };
    expect(chooseRung(fast).id).toBe('720p');
    expect(chooseRung({ ...fast, bufferAheadSeconds: 5 }).id).toBe('360p');
    expect(chooseRung({ ...fast, lastSwitchMs: 99_000 }).id).toBe('360p');
  });
});
