import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, auth, type Me } from '../api';
import { uploadManager } from './uploads';

interface Session {
  me: Me | null;
  loading: boolean;
  /** Set when the session ran out while the app was open (shown on the login page). */
  expired: boolean;
  login(email: string, password: string): Promise<void>;
  /** Resolves to the server's message when sign-up continues by mail (nobody is signed in then), else null. */
  register(email: string, password: string): Promise<string | null>;
  logout(): Promise<void>;
  refreshMe(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [expired, setExpired] = useState(false);

  const applyMe = useCallback((next: Me | null) => {
    setMe(next);
    if (next) {
      setExpired(false);
      uploadManager.setLimits({
        remainingQuotaBytes: next.quotaBytes === null ? null : Math.max(0, next.quotaBytes - next.storageUsedBytes),
      });
      void uploadManager.setUser(next.id);
    }
  }, []);

  const refreshMe = useCallback(async () => {
    try {
      applyMe(await auth.me());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setMe(null);
      else throw error;
    }
  }, [applyMe]);

  useEffect(() => {
    refreshMe()
      .catch(() => setMe(null))
      .finally(() => setLoading(false));
  }, [refreshMe]);

  useEffect(
    () =>
      // The refresh failed: route to login but keep the upload engine (and its user) as it is,
      // so logging in again as the same user continues where it stopped.
      api.events.on('sessionExpired', () => {
        setMe((current) => {
          if (current) setExpired(true);
          return null;
        });
      }),
    [],
  );

  const value = useMemo<Session>(
    () => ({
      me,
      loading,
      expired,
      login: async (email, password) => {
        await auth.login(email, password);
        await refreshMe();
      },
      register: async (email, password) => {
        const result = await auth.register(email, password);
        if ('message' in result) return result.message;
        await refreshMe();
        return null;
      },
      logout: async () => {
        await auth.logout().catch(() => undefined);
        await uploadManager.setUser(null);
        setExpired(false);
        setMe(null);
      },
      refreshMe,
    }),
    [me, loading, expired, refreshMe],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
