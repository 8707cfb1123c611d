import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { LiveVideoSync } from './liveVideoSync';
import { queryKeys } from './queryKeys';
import { useToast } from './toasts';
import { uploadManager } from './uploads';
import { useVideoEvents } from './useVideoEvents';

/**
 * Keeps the cached videos live while someone is signed in: SSE events patch or re-read the
 * queries (LiveVideoSync), a finished upload re-reads the library and the quota. Mounted once, in
 * the app shell, so no page polls.
 */
export function useLiveVideos(userId: string | null): void {
  const client = useQueryClient();
  const toast = useToast();
  const [sync] = useState(() => new LiveVideoSync(client, () => client.getQueryData<{ id: string } | null>(queryKeys.me)?.id ?? null));
  useEffect(() => () => sync.dispose(), [sync]);

  useEffect(
    () =>
      // A finished upload creates a processing video and uses quota: show both.
      uploadManager.events.on('completed', () => {
        void client.invalidateQueries({ queryKey: queryKeys.videoLists });
        void client.invalidateQueries({ queryKey: queryKeys.me });
      }),
    [client],
  );

  useVideoEvents(
    userId !== null,
    (event) => {
      const finished = sync.apply(event);
      if (!finished) return;
      if (finished.status === 'ready') toast(`"${finished.title}" is ready to watch.`, 'success');
      else toast(`"${finished.title}" failed: ${finished.error ?? 'processing error'}`, 'error');
    },
    () => sync.resync(),
  );
}
