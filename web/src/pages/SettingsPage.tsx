import { useState, type FormEvent } from 'react';
import { auth, errorMessage } from '../api';
import { useSession } from '../app/session';
import { ApiKeysPanel } from '../components/ApiKeysPanel';
import { DirectUploadsPanel } from '../components/DirectUploadsPanel';
import { formatBytes, formatDate } from '../lib/format';
import { WebhooksPanel } from '../components/WebhooksPanel';

export function SettingsPage() {
  const { me } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next.length < 8) return setMessage({ kind: 'error', text: 'The new password needs at least 8 characters.' });
    if (next !== confirm) return setMessage({ kind: 'error', text: 'The two new passwords do not match.' });
    setBusy(true);
    try {
      await auth.changePassword(current, next);
      setMessage({ kind: 'success', text: 'Password changed.' });
      setCurrent('');
      setNext('');
      setConfirm('');
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page settings">
      <h1>Settings</h1>
      {me && (
        <section className="panel">
          <h2>Account</h2>
          <dl className="facts">
            <div>
              <dt>Email</dt>
              <dd>{me.email}</dd>
            </div>
            <div>
              <dt>Role</dt>
              <dd>{me.role}</dd>
            </div>
            <div>
              <dt>Storage</dt>
              <dd>
                {formatBytes(me.storageUsedBytes)} of {me.quotaBytes === null ? 'unlimited' : formatBytes(me.quotaBytes)}
              </dd>
            </div>
            <div>
              <dt>Member since</dt>
              <dd>{formatDate(me.createdAt)}</dd>
            </div>
          </dl>
        </section>
      )}
      <form className="panel narrow" onSubmit={(e) => void submit(e)}>
        <h2>Change password</h2>
        {message && (
          <p className={`alert alert-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
        <label className="field">
          <span>Current password</span>
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        </label>
        <label className="field">
          <span>New password</span>
          <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={8} />
        </label>
        <label className="field">
          <span>Repeat new password</span>
          <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Change password
        </button>
      </form>
      <ApiKeysPanel />
      <WebhooksPanel />
      <DirectUploadsPanel />
    </div>
  );
}
