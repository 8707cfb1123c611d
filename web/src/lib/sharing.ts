import { ApiError } from '../api/errors';
import type { ShareLink, Visibility } from '../api/types';

/** The visibility choices as the owner reads them, in the order of the selects. */
export const VISIBILITY_CHOICES: readonly { value: Visibility; label: string; hint: string }[] = [
  { value: 'unlisted', label: 'Unlisted', hint: 'anyone with the link can watch; not listed on Explore' },
  { value: 'public', label: 'Public', hint: 'anyone can watch; listed on Explore' },
  { value: 'private', label: 'Private', hint: 'only you, and people you give a share link' },
];

export function isVisibility(value: unknown): value is Visibility {
  return value === 'public' || value === 'unlisted' || value === 'private';
}

/** How long a new share link lives: the choices of the share panel. The server takes 1..720 hours. */
export type ShareExpiry = '1h' | '1d' | '7d' | '30d';
export const SHARE_EXPIRIES: readonly { value: ShareExpiry; label: string }[] = [
  { value: '1h', label: '1 hour' },
  { value: '1d', label: '1 day' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
];
const EXPIRY_HOURS: Record<ShareExpiry, number> = { '1h': 1, '1d': 24, '7d': 168, '30d': 720 };

export function expiryHours(choice: ShareExpiry): number {
  return EXPIRY_HOURS[choice];
}

/** Whether a listed share link still lets people in. */
export function shareLinkState(link: Pick<ShareLink, 'expiresAt' | 'revokedAt'>, now: number): 'active' | 'expired' | 'revoked' {
  if (link.revokedAt) return 'revoked';
  return Date.parse(link.expiresAt) <= now ? 'expired' : 'active';
}

/** Share tokens are "sh_" and base64url; anything else in ?share= is not sent on (it could only be refused). */
const SHARE_TOKEN = /^sh_[A-Za-z0-9_-]{16,128}$/;

/** The share token of a watch address's query (`?share=sh_…`), or null. */
export function shareTokenFrom(search: string): string | null {
  const value = new URLSearchParams(search).get('share')?.trim() ?? '';
  return SHARE_TOKEN.test(value) ? value : null;
}

/**
 * A media URL without its playback token (`…/p/{token}/private/…` → `…/private/…`). Each watch answer signs afresh,
 * so the token changes while the media stays the same; the player reloads only when this changes.
 */
export function withoutPlaybackToken(url: string): string {
  return url.replace(/\/p\/[^/]+\/(?=private\/)/, '/');
}

/**
 * The video's visibility changed and its media has not moved yet: private media is served only through token paths
 * (…/p/{token}/private/…), other media never is. While this holds the page re-reads the watch answer.
 */
export function mediaMovePending(watch: { visibility: string; manifestUrl: string | null }): boolean {
  if (!watch.manifestUrl) return false;
  const privatePath = /\/p\/[^/]+\/private\//.test(watch.manifestUrl);
  return watch.visibility === 'private' ? !privatePath : privatePath;
}

/** The API refused a private video to this viewer (403 problem type `video-private`). */
export function isVideoPrivate(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.isKind('video-private');
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** The login page's address that comes back here afterwards (the share token included). */
export function signInHref(pathname: string, search: string): string {
  return `/login?next=${encodeURIComponent(pathname + search)}`;
}
