// node --test scripts/lib/bench-args.test.mjs — which bench gets which option (scripts/bench.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitBenchArgs } from './bench-args.mjs';

test('plain options go to every bench, scoped ones to their bench only and last', () => {
  const a = splitBenchArgs(['--lengths', '30,120,600', '--player.rounds', '3', '--rounds', '5', '--pipeline.no-mem']);
  assert.deepEqual(a.common, ['--lengths', '30,120,600', '--rounds', '5']);
  assert.deepEqual(a.argsFor('player'), ['--lengths', '30,120,600', '--rounds', '5', '--rounds', '3']);
  assert.deepEqual(a.argsFor('pipeline'), ['--lengths', '30,120,600', '--rounds', '5', '--no-mem']);
  assert.deepEqual(a.argsFor('upload'), a.common);
  assert.deepEqual(a.benches, ['player', 'pipeline']);
});

test('a value that looks like a number with a dot is a value, not a scoped option', () => {
  assert.deepEqual(splitBenchArgs(['--throttle', '4.5']).common, ['--throttle', '4.5']);
});
