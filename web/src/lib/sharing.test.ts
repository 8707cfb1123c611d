import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { problemFromBody } from '../api/errors';
import { expiryHours, isNotFound, isVideoPrivate, isVisibility, SHARE_EXPIRIES, mediaMovePending, shareLinkState, shareTokenFrom, signInHref, withoutPlaybackToken } from './sharing';

const TOKEN = 'sh_' + 'A1b2-C3d4_E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v';

describe('expiryHours', () => {
  it('maps each choice of the share panel to hours the server accepts', () => {
    expect(SHARE_EXPIRIES.map((c) => expiryHours(c.value))).toEqual([1, 24, 168, 720]);
    for (const c of SHARE_EXPIRIES) {
      expect(expiryHours(c.value)).toBeGreaterThanOrEqual(1);
      expect(expiryHours(c.value)).toBeLessThanOrEqual(720);
    }
  });
});

describe('shareTokenFrom', () => {
  it('reads the token of ?share=', () => {
    expect(shareTokenFrom(`?share=${TOKEN}`)).toBe(TOKEN);
    expect(shareTokenFrom(`?t=1&share=${encodeURIComponent(TOKEN)}&x=2`)).toBe(TOKEN);
  });
  it('ignores what cannot be a share token', () => {
    expect(shareTokenFrom('')).toBeNull();
    expect(shareTokenFrom('?share=')).toBeNull();
    expect(shareTokenFrom('?share=abc')).toBeNull();
    expect(shareTokenFrom('?share=sh_short')).toBeNull();
    expect(shareTokenFrom(`?share=${TOKEN}%2F..`)).toBeNull();
    expect(shareTokenFrom(`?share=xx_${TOKEN.slice(3)}`)).toBeNull();
  });
});

describe('withoutPlaybackToken', () => {
  const id = '0b8f2a4e-6a1c-4c55-9a0e-2f5d6c7b8a90';
  it('drops the token segment of a private media URL, on the CDN and on the API origin', () => {
    expect(withoutPlaybackToken(`http://cdn:8081/p/1765000000.0.abc-_x/private/${id}/v2/manifest.json`)).toBe(`http://cdn:8081/private/${id}/v2/manifest.json`);
    expect(withoutPlaybackToken(`http://api/api/v1/media/p/17.ab12cd.sig/private/${id}/v1/manifest.json`)).toBe(`http://api/api/v1/media/private/${id}/v1/manifest.json`);
  });
  it('gives two signings of the same media the same identity, and other media another', () => {
    const a = withoutPlaybackToken(`http://cdn/p/100.0.aaa/private/${id}/v1/manifest.json`);
    const b = withoutPlaybackToken(`http://cdn/p/200.0.bbb/private/${id}/v1/manifest.json`);
    const c = withoutPlaybackToken(`http://cdn/p/200.0.bbb/private/${id}/v2/manifest.json`);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
  it('leaves public media URLs alone', () => {
    const url = `http://cdn/media/${id}/v1/manifest.json`;
    expect(withoutPlaybackToken(url)).toBe(url);
  });
});

describe('isVideoPrivate', () => {
  it('is the 403 answer of problem type video-private', () => {
    const body = JSON.stringify({ type: 'https://streamforge.dev/problems/video-private', title: 'This video is private', status: 403 });
    const error = problemFromBody(403, 'application/problem+json', body);
    expect(isVideoPrivate(error)).toBe(true);
    expect(error.message).toBe('This video is private');
  });
  it('is not any other refusal', () => {
    const forbidden = problemFromBody(403, 'application/problem+json', JSON.stringify({ type: 'https://streamforge.dev/problems/forbidden', title: 'Forbidden' }));
    expect(isVideoPrivate(forbidden)).toBe(false);
    expect(isVideoPrivate(new ApiError(403, 'Forbidden'))).toBe(false);
    expect(isVideoPrivate(new ApiError(404, 'x', null, {}, 'https://streamforge.dev/problems/video-private'))).toBe(false);
    expect(isVideoPrivate(new Error('video-private'))).toBe(false);
    expect(isNotFound(new ApiError(404, 'Not found'))).toBe(true);
    expect(isNotFound(forbidden)).toBe(false);
  });
});

describe('isVisibility and signInHref', () => {
  it('knows the three visibilities', () => {
    expect(['public', 'unlisted', 'private'].every(isVisibility)).toBe(true);
    expect(isVisibility('secret')).toBe(false);
  });
  it('brings the viewer back to the same watch address, share token included', () => {
    expect(signInHref('/watch/abc', `?share=${TOKEN}`)).toBe(`/login?next=${encodeURIComponent(`/watch/abc?share=${TOKEN}`)}`);
  });
});

describe('shareLinkState', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  it('is active until it expires, expired after, revoked whenever revoked', () => {
    expect(shareLinkState({ expiresAt: '2026-12-07T13:00:00Z', revokedAt: null }, now)).toBe('active');
    expect(shareLinkState({ expiresAt: '2026-12-07T12:00:00Z', revokedAt: null }, now)).toBe('expired');
    expect(shareLinkState({ expiresAt: '2026-12-08T12:00:00Z', revokedAt: '2026-12-07T11:00:00Z' }, now)).toBe('revoked');
  });
});

describe('mediaMovePending', () => {
  const id = '0b8f2a4e-6a1c-4c55-9a0e-2f5d6c7b8a90';
  const pub = `http://cdn/media/${id}/v1/manifest.json`;
  const priv = `http://cdn/p/100.0.aaa/private/${id}/v1/manifest.json`;
  it('holds while the media is not yet where the visibility says', () => {
    expect(mediaMovePending({ visibility: 'private', manifestUrl: pub })).toBe(true);
    expect(mediaMovePending({ visibility: 'public', manifestUrl: priv })).toBe(true);
    expect(mediaMovePending({ visibility: 'unlisted', manifestUrl: priv })).toBe(true);
  });
  it('ends once it is there, and never holds without media', () => {
    expect(mediaMovePending({ visibility: 'private', manifestUrl: priv })).toBe(false);
    expect(mediaMovePending({ visibility: 'unlisted', manifestUrl: pub })).toBe(false);
    expect(mediaMovePending({ visibility: 'private', manifestUrl: null })).toBe(false);
  });
});
