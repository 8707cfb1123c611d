import type { Clock, Connectivity } from './types';

export function abortError(): DOMException {
  return new DOMException('Aborted', 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException ? error.name === 'AbortError' : error instanceof Error && error.name === 'AbortError';
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortError());
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

export const browserConnectivity: Connectivity = {
  isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  waitOnline: (signal) =>
    new Promise((resolve, reject) => {
      if (browserConnectivity.isOnline()) return resolve();
      if (signal.aborted) return reject(abortError());
      const onOnline = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        window.removeEventListener('online', onOnline);
        reject(abortError());
      };
      window.addEventListener('online', onOnline, { once: true });
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};
