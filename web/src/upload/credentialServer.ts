import { ApiClient } from '../api/client';
import { uploadsApi } from '../api/endpoints';
import type { UploadServer } from './types';

export interface CredentialServerOptions {
  /** The bearer credential sent with every call (an upload link's du_ token); read per request. */
  credential: () => string | null;
  /** The API's origin when the page lives elsewhere (a third party's site); '' = this origin. */
  baseUrl?: string;
  fetchFn?: (input: string, init: RequestInit) => Promise<Response>;
}

/**
 * The upload protocol authenticated by a bearer credential instead of the session cookie: what a page without an
 * account (the /u/:token page, or a partner's site) gives the engine as its `server`.
 */
export function credentialUploadServer(options: CredentialServerOptions): UploadServer {
  return uploadsApi(new ApiClient(options.baseUrl ?? '', options.fetchFn, options.credential));
}

/**
 * The resume store's "user" for uploads made with an upload link: one namespace per token, so a reload (or a
 * restart) finds that link's unfinished upload, and never another link's or a signed-in account's. Only a
 * digest of the token is stored, not the credential itself.
 */
export async function resumeKeyForToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  return `link:${hex.slice(0, 32)}`;
}
