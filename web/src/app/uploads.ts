import { useSyncExternalStore } from 'react';
import { uploads } from '../api';
import { IndexedDbResumeStore, isActiveUpload, MemoryResumeStore, UploadManager, XhrTransport, type UploadManagerState } from '../upload';

/**
 * The page-wide upload engine. Created once, outside React, so navigating (including to the
 * login page after a session expiry) never loses an upload in progress.
 */
export const uploadManager = new UploadManager({
  server: uploads,
  transport: new XhrTransport(),
  store: typeof indexedDB !== 'undefined' ? new IndexedDbResumeStore() : new MemoryResumeStore(),
});

// Closing the tab mid-upload loses the in-flight parts: ask first.
window.addEventListener('beforeunload', (e) => {
  const busy = uploadManager.getState().items.some((i) => isActiveUpload(i.status));
  if (busy) e.preventDefault();
});

export function useUploads(): UploadManagerState {
  return useSyncExternalStore(
    (l) => uploadManager.subscribe(l),
    () => uploadManager.getState(),
  );
}
