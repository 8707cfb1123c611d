import { describe, expect, it } from 'vitest';
import type { Me } from '../api';
import { requireAdmin, requireSignedIn, requireSignedOut, safeNext } from './guards';

const user = { id: 'u1', email: 'a@b.test', role: 'user' } as Me;
const admin = { ...user, role: 'admin' } as Me;

describe('route guards', () => {
  it('sends a signed-out visitor to the login page with the way back, query included', () => {
    const stop = requireSignedIn(null, 'https://app.test/watch/abc?t=5');
    expect(stop?.status).toBe(302);
    expect(stop?.headers.get('Location')).toBe('/login?next=%2Fwatch%2Fabc%3Ft%3D5');
    expect(requireSignedIn(user, 'https://app.test/watch/abc')).toBeNull();
  });

  it('sends a signed-in user away from login and register', () => {
    expect(requireSignedOut(user)?.headers.get('Location')).toBe('/');
    expect(requireSignedOut(null)).toBeNull();
  });

  it('lets only admins into the admin area, and tells the others why', () => {
    expect(requireAdmin(admin)).toBeNull();
    for (const who of [user, null]) {
      const stop = requireAdmin(who);
      expect(stop?.init?.status).toBe(403);
      expect(stop?.data).toBe('This page is for administrators.');
    }
  });

  it('returns to paths of this app only after login', () => {
    expect(safeNext('/watch/abc?t=5')).toBe('/watch/abc?t=5');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.test/')).toBe('/');
    expect(safeNext('//evil.test/')).toBe('/');
    expect(safeNext('/\\evil.test/')).toBe('/');
  });
});
