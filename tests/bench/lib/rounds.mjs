// Repeated, order-alternated measurements of a few legs, and what may be said of them: median and min–max of
// each leg, and ratios taken per round (paired: both legs of a ratio ran back to back, under the same load).
// Pure functions; the benches run the legs.

/** The legs in the order round k runs them: rotated by k, so no leg always runs first (cold) or last. */
export function legOrder(legs, k) {
  const n = legs.length;
  return legs.map((_, i) => legs[(i + k) % n]);
}

const sorted = (v) => [...v].sort((a, b) => a - b);

/** { n, median, min, max } of the finite values, or null when there are none. */
export function spreadOf(values) {
  const a = sorted(values.filter(Number.isFinite));
  if (!a.length) return null;
  const m = Math.floor(a.length / 2);
  return { n: a.length, median: a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2, min: a[0], max: a.at(-1) };
}

/** Per-round ratios pick(numerator leg) / pick(denominator leg), with their spread and the values themselves. */
export function pairedRatio(rounds, numerator, denominator, pick) {
  const values = rounds.map((r) => {
    const a = r[numerator] ? pick(r[numerator]) : NaN;
    const b = r[denominator] ? pick(r[denominator]) : NaN;
    return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN;
  });
  const s = spreadOf(values);
  return s ? { ...s, values: values.map((x) => (Number.isFinite(x) ? Math.round(x * 10000) / 10000 : null)) } : null;
}
