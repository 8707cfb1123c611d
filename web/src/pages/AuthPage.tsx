import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { safeNext } from '../app/guards';
import { useSession } from '../app/session';
import { useUploads } from '../app/uploads';
import { isUnfinishedUpload } from '../upload';

export function AuthPage({ mode }: { mode: 'login' | 'register' }) {
  const session = useSession();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const { items } = useUploads();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const register = mode === 'register';
  const pendingUploads = items.filter((i) => isUnfinishedUpload(i.status)).length;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setFieldErrors({});
    if (register && password.length < 8) {
      setFieldErrors({ password: ['Use at least 8 characters.'] });
      return;
    }
    setBusy(true);
    try {
      if (register) {
        const message = await session.register(email, password);
        if (message) {
          setSent(message);
          return;
        }
      } else await session.login(email, password);
      void navigate(safeNext(search.get('next')), { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 && !register ? 'Wrong email or password.' : errorMessage(err));
      if (err instanceof ApiError) setFieldErrors(lowerKeys(err.errors));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page auth">
      <form className="panel auth-form" onSubmit={(e) => void submit(e)} noValidate>
        <h1>{register ? 'Create an account' : 'Sign in'}</h1>
        {session.expired && !register && (
          <p className="alert alert-info" role="status">
            Your session expired. Sign in again{pendingUploads > 0 ? ` — your ${pendingUploads} upload(s) are kept and continue after you press Resume` : ''}.
          </p>
        )}
        {sent && (
          <p className="alert alert-info" role="status">
            {sent}
          </p>
        )}
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <label className="field">
          <span>Email</span>
          <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={Boolean(fieldErrors.email)} />
          {fieldErrors.email && <small className="field-error">{fieldErrors.email.join(' ')}</small>}
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            autoComplete={register ? 'new-password' : 'current-password'}
            required
            minLength={register ? 8 : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={Boolean(fieldErrors.password)}
          />
          {fieldErrors.password && <small className="field-error">{fieldErrors.password.join(' ')}</small>}
          {register && !fieldErrors.password && <small className="hint">At least 8 characters.</small>}
        </label>
        {!register && (
          <p className="small">
            <Link to="/forgot-password">Forgot password?</Link>
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Please wait…' : register ? 'Create account' : 'Sign in'}
        </button>
        <p className="small">
          {register ? (
            <>
              Already have an account? <Link to="/login">Sign in</Link>
            </>
          ) : (
            <>
              New here? <Link to="/register">Create an account</Link>
            </>
          )}
        </p>
      </form>
    </div>
  );
}

function lowerKeys(errors: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]));
}
