import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, auth, errorMessage } from '../api';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../app/session';

/** "Forgot password?": asks for a reset mail. The answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      setSent((await auth.requestPasswordReset(email.trim())).message);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page auth">
      <form className="panel auth-form" onSubmit={(e) => void submit(e)} noValidate>
        <h1>Reset your password</h1>
        {sent ? (
          <>
            <p className="alert alert-success" role="status" data-testid="reset-requested">
              Check your mail. {sent}
            </p>
            <p className="small">
              Nothing arrived? Look in the spam folder, or <button type="button" className="btn btn-small" onClick={() => setSent(null)}>try again</button>.
            </p>
          </>
        ) : (
          <>
            <p className="small">Enter the address of your account and we will mail you a link to choose a new password.</p>
            {error && (
              <p className="alert alert-error" role="alert">
                {error}
              </p>
            )}
            <label className="field">
              <span>Email</span>
              <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
            <button type="submit" className="btn btn-primary btn-block" disabled={busy || email.trim() === ''}>
              {busy ? 'Please wait…' : 'Mail me a link'}
            </button>
          </>
        )}
        <p className="small">
          <Link to="/login">Back to sign in</Link>
        </p>
      </form>
    </div>
  );
}

/** The page a reset mail links to: /reset-password?token=… */
export function ResetPasswordPage() {
  const [search] = useSearchParams();
  const token = search.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (password.length < 8) return setError('Use at least 8 characters.');
    if (password !== repeat) return setError('The two passwords differ.');
    setBusy(true);
    try {
      await auth.confirmPasswordReset(token, password);
      setDone(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (!token)
    return (
      <div className="page auth">
        <div className="panel auth-form">
          <h1>Reset your password</h1>
          <p className="alert alert-error" role="alert">
            This page needs the link from the reset mail. <Link to="/forgot-password">Ask for a new mail</Link>.
          </p>
        </div>
      </div>
    );

  return (
    <div className="page auth">
      <form className="panel auth-form" onSubmit={(e) => void submit(e)} noValidate>
        <h1>Choose a new password</h1>
        {done ? (
          <p className="alert alert-success" role="status" data-testid="reset-done">
            Your password was changed and every session was signed out. <Link to="/login">Sign in</Link> with the new password.
          </p>
        ) : (
          <>
            {error && (
              <p className="alert alert-error" role="alert">
                {error} {error.includes('ask for a new') && <Link to="/forgot-password">Ask for a new mail</Link>}
              </p>
            )}
            <label className="field">
              <span>New password</span>
              <input type="password" autoComplete="new-password" required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} />
              <small className="hint">At least 8 characters.</small>
            </label>
            <label className="field">
              <span>Repeat the new password</span>
              <input type="password" autoComplete="new-password" required minLength={8} value={repeat} onChange={(e) => setRepeat(e.target.value)} />
            </label>
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              {busy ? 'Please wait…' : 'Set new password'}
            </button>
          </>
        )}
      </form>
    </div>
  );
}

/** The page a confirmation mail links to: /confirm-email?token=… (works signed in or not). */
export function ConfirmEmailPage() {
  const [search] = useSearchParams();
  const token = search.get('token') ?? '';
  const { me, refreshMe } = useSession();
  const [state, setState] = useState<{ kind: 'working' } | { kind: 'done' } | { kind: 'failed'; message: string }>({ kind: 'working' });
  const started = useRef(false);

  useEffect(() => {
    // Once per page: the token is single use, and a second call (React's development double effect) would fail it.
    if (started.current) return;
    started.current = true;
    if (!token) {
      setState({ kind: 'failed', message: 'This page needs the link from the confirmation mail.' });
      return;
    }
    auth
      .confirmEmail(token)
      .then(async () => {
        setState({ kind: 'done' });
        await refreshMe().catch(() => undefined);
      })
      .catch((err: unknown) => setState({ kind: 'failed', message: errorMessage(err) }));
  }, [token, refreshMe]);

  return (
    <div className="page auth">
      <div className="panel auth-form">
        <h1>Confirm your email address</h1>
        {state.kind === 'working' && <p role="status">Confirming…</p>}
        {state.kind === 'done' && (
          <p className="alert alert-success" role="status" data-testid="email-confirmed">
            Your address is confirmed. {me ? <Link to="/">Go to your library</Link> : <Link to="/login">Sign in</Link>}
          </p>
        )}
        {state.kind === 'failed' && (
          <p className="alert alert-error" role="alert">
            {state.message} {me ? 'Use "Resend" in the banner above to get a new link.' : 'Sign in to ask for a new link.'}
          </p>
        )}
      </div>
    </div>
  );
}

/** Shown while the service requires a confirmed address and this account has none. */
export function ConfirmEmailBanner() {
  const { me } = useSession();
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!me || !me.emailConfirmationRequired || me.emailConfirmed) return null;

  const resend = async () => {
    setBusy(true);
    try {
      setNote((await auth.resendConfirmation()).message);
    } catch (err) {
      setNote(err instanceof ApiError && err.status === 429 ? 'Too many requests; wait a minute and try again.' : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="alert alert-info confirm-banner" role="status" data-testid="confirm-email-banner">
      Confirm your email address to upload videos: open the link we mailed to {me.email}.{' '}
      <button type="button" className="btn btn-small" onClick={() => void resend()} disabled={busy}>
        Resend
      </button>
      {note && <span className="small"> {note}</span>}
    </div>
  );
}
