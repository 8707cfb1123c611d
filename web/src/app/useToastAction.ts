import { useCallback } from 'react';
import { errorMessage } from '../api';
import { useToast } from './toasts';

/**
 * Runs an action, toasts its success message (a string, or made from the result) or its error.
 * Resolves true when the action succeeded, so the caller can follow up (reload, clear a selection).
 */
export function useToastAction() {
  const toast = useToast();
  return useCallback(
    async <T>(action: () => Promise<T>, success?: string | ((result: T) => string)): Promise<boolean> => {
      try {
        const result = await action();
        const message = typeof success === 'function' ? success(result) : success;
        if (message) toast(message, 'success');
        return true;
      } catch (e) {
        toast(errorMessage(e), 'error');
        return false;
      }
    },
    [toast],
  );
}
