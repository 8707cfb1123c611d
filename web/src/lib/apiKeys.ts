import type { ApiScope } from '../api/types';

/** The scopes a key can hold, in the server's order, with what each lets a program do. */
export const API_SCOPES: readonly { scope: ApiScope; label: string }[] = [
  { scope: 'videos:read', label: 'Read videos, their captions and downloads, and live events' },
  { scope: 'videos:write', label: 'Rename, delete, retry and cancel videos; edit captions; make downloads' },
  { scope: 'uploads:write', label: 'Upload videos (counted against this account’s quota)' },
  { scope: 'webhooks:manage', label: 'Manage webhooks' },
];

export const MAX_KEY_NAME = 100;

/** Why the create form cannot be sent yet, or null (the server checks the same and answers with a problem). */
export function keyFormProblem(name: string, scopes: readonly string[]): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Give the key a name, so you can tell it apart later.';
  if (trimmed.length > MAX_KEY_NAME) return `The name may have at most ${MAX_KEY_NAME} characters.`;
  if (scopes.length === 0) return 'Choose at least one scope.';
  return null;
}

/** Scopes in the server's order, each once, whatever order the boxes were ticked in. */
export function orderedScopes(chosen: Iterable<string>): ApiScope[] {
  const set = new Set(chosen);
  return API_SCOPES.map((s) => s.scope).filter((s) => set.has(s));
}

/** "never", "just now", "5 min ago", "3 h ago", "2 days ago": the server records use about once a minute. */
export function describeLastUse(lastUsedAt: string | null, now: number = Date.now()): string {
  if (!lastUsedAt) return 'never';
  const at = Date.parse(lastUsedAt);
  if (Number.isNaN(at)) return 'never';
  const minutes = Math.floor((now - at) / 60_000);
  if (minutes < 2) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
