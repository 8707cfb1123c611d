import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffSchedule, DEFAULT_BACKOFF, isRetryableStatus } from './backoff';
import { fingerprint } from './fingerprint';
import { allPartNumbers, isConsistentPlan, partLength, partRange } from './partPlan';
import { SpeedMeter } from './speedMeter';
import { contentTypeOf, validateFile } from './validation';

describe('part planning', () => {
  const MB = 1_000_000;
  it('gives every part partSize bytes except the last', () => {
    expect(partRange(1, 10 * MB, 40 * MB + 5)).toEqual({ start: 0, end: 10 * MB });
    expect(partRange(4, 10 * MB, 40 * MB + 5)).toEqual({ start: 30 * MB, end: 40 * MB });
    expect(partRange(5, 10 * MB, 40 * MB + 5)).toEqual({ start: 40 * MB, end: 40 * MB + 5 });
    expect(partLength(5, 10 * MB, 40 * MB + 5)).toBe(5);
  });
  it('covers the file exactly once', () => {
    const size = 123_456_789;
    const partSize = 10_000_000;
    const count = Math.ceil(size / partSize);
    let covered = 0;
    for (const n of allPartNumbers(count)) {
      const r = partRange(n, partSize, size);
      expect(r.start).toBe(covered);
      covered = r.end;
    }
    expect(covered).toBe(size);
    expect(isConsistentPlan(partSize, count, size)).toBe(true);
    expect(isConsistentPlan(partSize, count + 1, size)).toBe(false);
  });
  it('rejects parts outside the file', () => {
    expect(() => partRange(0, 10, 100)).toThrow(RangeError);
    expect(() => partRange(11, 10, 100)).toThrow(RangeError);
  });
});

describe('backoff', () => {
  it('doubles the ceiling per retry with full jitter', () => {
    expect(backoffSchedule(DEFAULT_BACKOFF, () => 0.999999)).toEqual([999, 1999, 3999]);
    expect(backoffSchedule(DEFAULT_BACKOFF, () => 0.5)).toEqual([500, 1000, 2000]);
    expect(backoffSchedule(DEFAULT_BACKOFF, () => 0)).toEqual([0, 0, 0]);
  });
  it('caps the delay', () => {
    expect(backoffDelay(10, { retries: 10, baseMs: 1000, capMs: 5000 }, () => 1)).toBe(5000);
  });
  it('retries network errors, timeouts, throttling and 5xx only', () => {
    expect([0, 408, 429, 500, 503].every(isRetryableStatus)).toBe(true);
    expect([400, 403, 404, 409].some(isRetryableStatus)).toBe(false);
  });
});

describe('fingerprint', () => {
  it('is name|size|lastModified', () => {
    expect(fingerprint({ name: 'a.mp4', size: 10, lastModified: 5 })).toBe('a.mp4|10|5');
  });
});

describe('validateFile', () => {
  const limits = { remainingQuotaBytes: 100, maxFileBytes: 1000 };
  it('accepts video/* and known extensions', () => {
    expect(validateFile({ name: 'x.bin', size: 10, type: 'video/mp4' }, limits)).toBeNull();
    expect(validateFile({ name: 'clip.MKV', size: 10, type: '' }, limits)).toBeNull();
  });
  it('explains every refusal', () => {
    expect(validateFile({ name: 'notes.txt', size: 10, type: 'text/plain' }, limits)).toMatch(/not a video/);
    expect(validateFile({ name: 'a.mp4', size: 0, type: 'video/mp4' }, limits)).toMatch(/empty/);
    expect(validateFile({ name: 'a.mp4', size: 101, type: 'video/mp4' }, limits)).toMatch(/quota/);
    expect(validateFile({ name: 'a.mp4', size: 1001, type: 'video/mp4' }, { ...limits, remainingQuotaBytes: null })).toMatch(/limit/);
    expect(validateFile({ name: 'a.mp4', size: 999, type: 'video/mp4' }, { ...limits, remainingQuotaBytes: null })).toBeNull();
  });
  it('guesses a content type when the browser gives none', () => {
    expect(contentTypeOf({ name: 'a.mov', type: '' })).toBe('video/quicktime');
    expect(contentTypeOf({ name: 'a.webm', type: 'video/webm' })).toBe('video/webm');
  });
});

describe('SpeedMeter', () => {
  it('converges on a steady rate and computes the ETA', () => {
    const meter = new SpeedMeter(3000, 200);
    let bytes = 0;
    for (let t = 0; t <= 20_000; t += 500) {
      meter.update(bytes, t);
      bytes += 500_000; // 1 MB/s
    }
    expect(meter.bytesPerSecond()).toBeGreaterThan(950_000);
    expect(meter.bytesPerSecond()).toBeLessThan(1_050_000);
    expect(meter.etaSeconds(10_000_000)).toBeCloseTo(10, 0);
  });
  it('re-bases when bytes drop (aborted in-flight parts) and has no ETA without a rate', () => {
    const meter = new SpeedMeter();
    expect(meter.etaSeconds(100)).toBeNull();
    meter.update(1000, 0);
    meter.update(500, 1000);
    expect(meter.bytesPerSecond()).toBe(0);
  });
});
