import { describe, expect, it } from 'vitest';
import { describeLastUse, keyFormProblem, orderedScopes } from './apiKeys';

describe('keyFormProblem', () => {
  it('asks for a name, a short one, and a scope', () => {
    expect(keyFormProblem('   ', ['videos:read'])).toMatch(/name/);
    expect(keyFormProblem('x'.repeat(101), ['videos:read'])).toMatch(/100/);
    expect(keyFormProblem('ci', [])).toMatch(/scope/);
    expect(keyFormProblem(' ci ', ['videos:read'])).toBeNull();
  });
});

describe('orderedScopes', () => {
  it('keeps the server order, each scope once, and drops unknown ones', () => {
    expect(orderedScopes(['uploads:write', 'videos:read', 'uploads:write', 'admin'])).toEqual(['videos:read', 'uploads:write']);
  });
});

describe('describeLastUse', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  it('reads a recorded use relative to now', () => {
    expect(describeLastUse(null, now)).toBe('never');
    expect(describeLastUse('not a date', now)).toBe('never');
    expect(describeLastUse('2026-12-07T11:59:30Z', now)).toBe('just now');
    expect(describeLastUse('2026-12-07T11:45:00Z', now)).toBe('15 min ago');
    expect(describeLastUse('2026-12-07T07:00:00Z', now)).toBe('5 h ago');
    expect(describeLastUse('2026-12-04T12:00:00Z', now)).toBe('3 days ago');
  });
});
