import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useClipboard } from '../app/useClipboard';
import { api, errorMessage, type ApiKey, type ApiKeyCreated } from '../api';
import { keysApi } from '../api/endpoints';
import { API_SCOPES, MAX_KEY_NAME, describeLastUse, keyFormProblem, orderedScopes } from '../lib/apiKeys';
import { formatDate } from '../lib/format';
import { ConfirmDialog } from './ConfirmDialog';

const keys = keysApi(api);

/**
 * Settings → API keys: make a key with a name and scopes (its secret shown once, with a copy button), list the
 * account's keys with their prefix, scopes and last use, and revoke one after a confirmation.
 */
export function ApiKeysPanel() {
  const [list, setList] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Set<string>>(() => new Set(['videos:read']));
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Refused: the field is selected for a manual copy.
  const { copied, copy, reset: resetCopied } = useClipboard(() => (document.getElementById('api-key-secret') as HTMLInputElement | null)?.select());

  const load = useCallback(async () => {
    try {
      setList(await keys.list());
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const toggle = (scope: string, on: boolean) =>
    setScopes((current) => {
      const next = new Set(current);
      if (on) next.add(scope);
      else next.delete(scope);
      return next;
    });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = keyFormProblem(name, [...scopes]);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    resetCopied();
    try {
      setCreated(await keys.create(name.trim(), orderedScopes(scopes)));
      setName('');
      await load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async () => {
    const key = revoking;
    setRevoking(null);
    if (!key) return;
    setError(null);
    try {
      await keys.revoke(key.id);
      if (created?.id === key.id) setCreated(null);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section className="panel api-keys-panel" data-testid="api-keys-panel" aria-labelledby="api-keys-heading">
      <h2 id="api-keys-heading">API keys</h2>
      <p className="muted">
        Programs use a key as <code>Authorization: Bearer sk_…</code>. A key acts for this account (its quota and limits) with
        only the scopes you give it; it never reaches admin pages or these settings.
      </p>
      {created && (
        <div className="alert alert-success" role="status" data-testid="api-key-created">
          <p>
            <strong>Copy the key “{created.name}” now: it is shown this once.</strong> Only a hash is stored, so it cannot be shown again;
            if you lose it, revoke it and make a new one.
          </p>
          <div className="row gap">
            <input id="api-key-secret" style={{ fontFamily: 'monospace', flex: 1 }} readOnly value={created.key} onFocus={(e) => e.target.select()} aria-label="New API key" data-testid="api-key-secret" size={50} />
            <button type="button" className="btn btn-small" onClick={() => void copy(created.key)}>
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="alert alert-error" role="alert" data-testid="api-keys-error">
          {error}
        </p>
      )}
      <form className="api-key-form" style={{ marginBottom: '1rem' }} onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="CI deploy" maxLength={MAX_KEY_NAME} required data-testid="api-key-name" />
        </label>
        <fieldset className="field" style={{ border: 0, padding: 0 }}>
          <legend>Scopes</legend>
          {API_SCOPES.map(({ scope, label }) => (
            <label key={scope} className="check">
              <input type="checkbox" checked={scopes.has(scope)} onChange={(e) => toggle(scope, e.target.checked)} data-testid={`api-key-scope-${scope}`} />
              <code>{scope}</code> <span className="muted">{label}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {list === null ? (
        <p className="muted">Loading keys…</p>
      ) : list.length === 0 ? (
        <p className="muted">No API keys yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="api-key-list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Scopes</th>
                <th>Created</th>
                <th>Last used</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={k.id} data-testid="api-key-row" data-key-id={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{k.scopes.join(', ')}</td>
                  <td>{formatDate(k.createdAt)}</td>
                  <td title={k.lastUsedAt ? formatDate(k.lastUsedAt) : undefined}>{describeLastUse(k.lastUsedAt)}</td>
                  <td>
                    <button type="button" className="btn btn-small btn-danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this API key?"
        confirmLabel="Revoke key"
        danger
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>
          Programs using “{revoking?.name}” (<code>{revoking?.prefix}…</code>) stop working at once. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
