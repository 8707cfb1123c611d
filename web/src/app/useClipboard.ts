import { useState } from 'react';

/**
 * Copying a secret shown once (a key, an upload link, a share link) and saying "Copied". `onRefused` runs when the
 * browser denies the clipboard (no permission, not a secure context): the panel then helps a manual copy.
 */
export function useClipboard(onRefused: () => void) {
  const [copied, setCopied] = useState(false);
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      onRefused();
    }
  };
  return { copied, copy, reset: () => setCopied(false) };
}
