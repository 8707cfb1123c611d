// node --test tests/bench/lib/rounds.test.mjs — order rotation, spreads and paired ratios of the benches' rounds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legOrder, pairedRatio, spreadOf } from './rounds.mjs';

test('every leg runs first, in the middle and last once in three rounds', () => {
  const legs = ['ours', 'bare', 'perRung'];
  const orders = [0, 1, 2].map((k) => legOrder(legs, k));
  assert.deepEqual(orders, [['ours', 'bare', 'perRung'], ['bare', 'perRung', 'ours'], ['perRung', 'ours', 'bare']]);
  for (let pos = 0; pos < 3; pos++) assert.deepEqual(orders.map((o) => o[pos]).sort(), [...legs].sort());
  assert.deepEqual(legOrder(legs, 3), orders[0]);
});

test('spread: median of odd and even counts, min and max; nothing finite is null', () => {
  assert.deepEqual(spreadOf([3, 1, 2]), { n: 3, median: 2, min: 1, max: 3 });
  assert.deepEqual(spreadOf([4, 1, 2, 3]), { n: 4, median: 2.5, min: 1, max: 4 });
  assert.deepEqual(spreadOf([NaN, 5]), { n: 1, median: 5, min: 5, max: 5 });
  assert.equal(spreadOf([]), null);
});

test('paired ratios are taken per round, not as a ratio of medians', () => {
  const rounds = [
    { ours: { wallMs: 110 }, bare: { wallMs: 100 } },
    { ours: { wallMs: 150 }, bare: { wallMs: 150 } }, // a slow round for both: the pair still reads 1.0
    { ours: { wallMs: 90 }, bare: { wallMs: 100 } },
    { ours: { wallMs: 90 } }, // bare missing: no pair
  ];
  const r = pairedRatio(rounds, 'ours', 'bare', (x) => x.wallMs);
  assert.equal(r.n, 3);
  assert.equal(r.median, 1);
  assert.equal(r.min, 0.9);
  assert.equal(r.max, 1.1);
  assert.deepEqual(r.values, [1.1, 1, 0.9, null]);
  assert.equal(pairedRatio([{ ours: { wallMs: 1 }, bare: { wallMs: 0 } }], 'ours', 'bare', (x) => x.wallMs), null);
});
