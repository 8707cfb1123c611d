import { useEffect } from 'react';
import { AuthPage } from '../pages/AuthPage';
import { ConfirmEmailBanner, ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage } from '../pages/AccountMailPages';
import { LibraryPage } from '../pages/LibraryPage';
import { SettingsPage } from '../pages/SettingsPage';
import { WatchPage } from '../pages/WatchPage';
import { AdminDashboardPage } from '../pages/admin/AdminDashboardPage';
import { AdminJobsPage } from '../pages/admin/AdminJobsPage';
import { AdminUsersPage } from '../pages/admin/AdminUsersPage';
import { AdminVideosPage } from '../pages/admin/AdminVideosPage';
import { Spinner } from '../components/Spinner';
import { Link, matchRoute, navigate, useLocation } from './router';
import { SessionProvider, useSession } from './session';
import { ToastProvider } from './toasts';

export function App() {
  return (
    <ToastProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </ToastProvider>
  );
}

const PUBLIC = ['/login', '/register'];
/** Reached from mailed links: open whether or not someone is signed in in this browser. */
const OPEN = ['/forgot-password', '/reset-password', '/confirm-email'];

function Shell() {
  const { me, loading, logout } = useSession();
  const { path } = useLocation();
  const isPublic = PUBLIC.includes(path);
  const isOpen = OPEN.includes(path);

  useEffect(() => {
    if (loading || isOpen) return;
    if (!me && !isPublic) navigate(`/login?next=${encodeURIComponent(path)}`, { replace: true });
    if (me && isPublic) navigate('/', { replace: true });
  }, [me, loading, isPublic, isOpen, path]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="StreamForge home">
          <span className="brand-mark" aria-hidden="true">▶</span> StreamForge
        </Link>
        {me && (
          <nav className="topnav" aria-label="Main">
            <Link to="/" aria-current={path === '/' ? 'page' : undefined}>
              Library
            </Link>
            {me.role === 'admin' && (
              <Link to="/admin" aria-current={path.startsWith('/admin') ? 'page' : undefined}>
                Admin
              </Link>
            )}
            <Link to="/settings" aria-current={path === '/settings' ? 'page' : undefined}>
              Settings
            </Link>
            <span className="user-email" title={me.email}>
              {me.email}
            </span>
            <button type="button" className="btn btn-small" onClick={() => void logout().then(() => navigate('/login'))}>
              Sign out
            </button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <ConfirmEmailBanner />
        {loading ? <Spinner label="Loading" /> : <Routes path={path} />}
      </main>
    </>
  );
}

function Routes({ path }: { path: string }) {
  const { me } = useSession();
  if (path === '/login') return <AuthPage mode="login" />;
  if (path === '/register') return <AuthPage mode="register" />;
  if (path === '/forgot-password') return <ForgotPasswordPage />;
  if (path === '/reset-password') return <ResetPasswordPage />;
  if (path === '/confirm-email') return <ConfirmEmailPage />;
  if (!me) return null; // redirecting to /login
  if (path === '/') return <LibraryPage />;
  if (path === '/settings') return <SettingsPage />;
  const watch = matchRoute('/watch/:id', path);
  if (watch?.id) return <WatchPage id={watch.id} />;
  if (path.startsWith('/admin')) {
    if (me.role !== 'admin') return <NotFound message="This page is for administrators." />;
    if (path === '/admin' || path === '/admin/overview') return <AdminDashboardPage />;
    if (path === '/admin/jobs') return <AdminJobsPage />;
    const job = matchRoute('/admin/jobs/:id', path);
    if (job?.id) return <AdminJobsPage selectedId={job.id} />;
    if (path === '/admin/videos') return <AdminVideosPage />;
    if (path === '/admin/users') return <AdminUsersPage />;
  }
  return <NotFound />;
}

function NotFound({ message = 'There is nothing at this address.' }: { message?: string }) {
  return (
    <div className="page">
      <h1>Not found</h1>
      <p>{message}</p>
      <Link to="/" className="btn">
        Go to the library
      </Link>
    </div>
  );
}
