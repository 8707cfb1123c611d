import { QueryClient } from '@tanstack/react-query';

/**
 * The page-wide server-state cache. Live changes arrive over SSE and are written into it
 * (liveVideoSync.ts), so queries need no polling and are refetched when an action or an event
 * says so. No automatic retries: a failed read shows its error at once with "Try again" (the
 * API client already refreshes an expired session once).
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});
