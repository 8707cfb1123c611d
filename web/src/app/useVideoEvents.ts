import { useEffect, useRef } from 'react';
import { auth, type VideoEvent } from '../api';

/**
 * Live video status over SSE. EventSource reconnects by itself after a dropped connection; after
 * any reconnect we may have missed a final state, so `onReconnect` re-reads the list
 * (docs/api.md "Events"). When the server refuses the stream (401 after the 15-minute access
 * token expired) EventSource gives up for good: we refresh the session through the API client
 * (which refreshes on 401) and open a new stream.
 */
/** The SSE event types that carry a VideoEvent. */
export const VIDEO_EVENT_TYPES = ['video', 'playable'] as const;

export function useVideoEvents(enabled: boolean, onEvent: (e: VideoEvent) => void, onReconnect: () => void): void {
  const handlers = useRef({ onEvent, onReconnect });
  handlers.current = { onEvent, onReconnect };

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let everOpened = false;
    let closed = false;
    let failures = 0;

    const open = () => {
      source = new EventSource('/api/v1/events', { withCredentials: true });
      source.addEventListener('open', () => {
        if (everOpened) handlers.current.onReconnect();
        everOpened = true;
        failures = 0;
      });
      const onMessage = (message: Event) => {
        try {
          handlers.current.onEvent(JSON.parse((message as MessageEvent<string>).data) as VideoEvent);
        } catch {
          // A malformed event is ignored; the next reconnect re-reads the state.
        }
      };
      // 'playable': a processing video got its first growing manifest (it carries manifestUrl and playableAt).
      for (const type of VIDEO_EVENT_TYPES) source.addEventListener(type, onMessage);
      source.addEventListener('error', () => {
        if (source?.readyState !== EventSource.CLOSED || closed) return;
        failures++;
        const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
        retryTimer = setTimeout(() => {
          // Any authenticated call refreshes an expired access cookie; a dead session ends up
          // on the login page through the client's sessionExpired event.
          auth
            .me()
            .then(() => !closed && open())
            .catch(() => undefined);
        }, delay);
      });
    };
    open();
    return () => {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      source?.close();
    };
  }, [enabled]);
}
