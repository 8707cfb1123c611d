import { queryOptions, useQuery } from '@tanstack/react-query';
import { useMemo, useSyncExternalStore } from 'react';
import { api, ApiError, auth, type Me } from '../api';
import { queryClient } from './queryClient';
import { queryKeys } from './queryKeys';
import { uploadManager } from './uploads';

/** The signed-in user, or null. Read from the cache by the route guards (routes.tsx) and by useSession. */
export const meQuery = queryOptions({
  queryKey: queryKeys.me,
  queryFn: async (): Promise<Me | null> => {
    try {
      const me = await auth.me();
      // The upload engine checks sizes against what is left of the quota, and keeps its resume records per user.
      uploadManager.setLimits({ remainingQuotaBytes: me.quotaBytes === null ? null : Math.max(0, me.quotaBytes - me.storageUsedBytes) });
      void uploadManager.setUser(me.id);
      return me;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  // Changes only through what this app does (sign in/out, uploads, deletes); those refetch it.
  staleTime: Infinity,
});

/** Null when nobody is signed in or the server could not say (the login page then asks). */
export function currentUser(): Promise<Me | null> {
  return queryClient.ensureQueryData(meQuery).catch(() => null);
}

// "Your session expired" on the login page: client state, not server state.
let expired = false;
const expiredListeners = new Set<() => void>();
function setExpired(value: boolean): void {
  if (expired === value) return;
  expired = value;
  for (const l of [...expiredListeners]) l();
}
function subscribeExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

// The refresh failed: the shell routes to login, but the upload engine (and its user) stay as they
// are, so signing in again as the same user continues where it stopped.
api.events.on('sessionExpired', () => {
  if (queryClient.getQueryData(queryKeys.me)) setExpired(true);
  queryClient.setQueryData(queryKeys.me, null);
});

/** Another user's (or nobody's) cached videos must not show after a sign-in or out. */
function forgetServerState(): void {
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.me[0] });
}

async function refreshMe(): Promise<void> {
  await queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
}

const actions = {
  refreshMe,
  login: async (email: string, password: string) => {
    await auth.login(email, password);
    forgetServerState();
    await refreshMe();
    setExpired(false);
  },
  register: async (email: string, password: string): Promise<string | null> => {
    const result = await auth.register(email, password);
    // With email confirmation on, nobody is signed in: the answer only says to check the inbox.
    if ('message' in result) return result.message;
    forgetServerState();
    await refreshMe();
    setExpired(false);
    return null;
  },
  logout: async () => {
    await auth.logout().catch(() => undefined);
    await uploadManager.setUser(null);
    setExpired(false);
    forgetServerState();
    queryClient.setQueryData(queryKeys.me, null);
  },
};

export interface Session {
  me: Me | null;
  /** Set when the session ran out while the app was open (shown on the login page). */
  expired: boolean;
  login(email: string, password: string): Promise<void>;
  /** Resolves to the server's message when sign-up continues by mail (nobody is signed in then), else null. */
  register(email: string, password: string): Promise<string | null>;
  logout(): Promise<void>;
  refreshMe(): Promise<void>;
}

export function useSession(): Session {
  // The route loaders fill the cache before any page renders.
  const { data } = useQuery(meQuery);
  const isExpired = useSyncExternalStore(subscribeExpired, () => expired);
  return useMemo(() => ({ me: data ?? null, expired: isExpired, ...actions }), [data, isExpired]);
}
