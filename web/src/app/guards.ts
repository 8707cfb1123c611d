import { data, redirect } from 'react-router';
import type { Me } from '../api';

/**
 * The route guards' decisions, apart from where the user comes from (routes.tsx feeds them the
 * cached `me`), so they can be tested without a browser. Each returns what the loader throws, or null.
 */

/** The signed-in area: nobody signed in → the login page, which brings the person back afterwards. */
export function requireSignedIn(me: Me | null, requestUrl: string): Response | null {
  if (me) return null;
  const url = new URL(requestUrl);
  return redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}

/** Login and register: a signed-in user goes to the library. */
export function requireSignedOut(me: Me | null): Response | null {
  return me ? redirect('/') : null;
}

/** The admin area: other roles get the not-found page with a reason (the API refuses them anyway). */
export function requireAdmin(me: Me | null): ReturnType<typeof data<string>> | null {
  return me?.role === 'admin' ? null : data('This page is for administrators.', { status: 403 });
}

/**
 * Where the login page goes afterwards: only a path of this app. "//host" and "/\host" would be
 * read by the browser as another origin.
 */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
