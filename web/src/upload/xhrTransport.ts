import type { PartTransport, PutResult } from './types';

/**
 * PUT with XMLHttpRequest because fetch still has no upload progress events.
 * The body is a Blob slice: the browser streams it from disk, we never hold the file in memory.
 * No Content-Type is set: `Blob.slice()` without a type sends none, which keeps presigned
 * signatures (signed without Content-Type) valid.
 */
export class XhrTransport implements PartTransport {
  put(url: string, body: Blob, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<PutResult> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(new DOMException('Aborted', 'AbortError'));
        return;
      }
      const xhr = new XMLHttpRequest();
      const onAbort = () => xhr.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => signal.removeEventListener('abort', onAbort);
      xhr.open('PUT', url, true);
      xhr.upload.onprogress = (e) => onProgress(e.loaded);
      xhr.onload = () => {
        cleanup();
        resolve({ status: xhr.status, etag: xhr.getResponseHeader('ETag'), body: xhr.responseText });
      };
      xhr.onerror = () => {
        cleanup();
        resolve({ status: 0, etag: null, body: '' });
      };
      xhr.ontimeout = xhr.onerror;
      xhr.onabort = () => {
        cleanup();
        reject(new DOMException('Aborted', 'AbortError'));
      };
      xhr.send(body);
    });
  }
}
