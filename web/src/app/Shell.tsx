import { useEffect, useRef } from 'react';
import { Link, Outlet, ScrollRestoration, useLocation, useNavigate, useRevalidator } from 'react-router';
import { ConfirmEmailBanner } from '../pages/AccountMailPages';
import { useSession } from './session';
import { useLiveVideos } from './useLiveVideos';

/** Header, navigation and the page of the current route; live video updates for whoever is signed in. */
export function Shell() {
  const { me, logout } = useSession();
  const { pathname: path } = useLocation();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  useLiveVideos(me?.id ?? null);

  // The session ended under an open page (expiry, a 401): re-run the route guards, which send a
  // signed-in-only page to the login page with a way back.
  const hadUser = useRef(me !== null);
  useEffect(() => {
    if (hadUser.current && !me) void revalidator.revalidate();
    hadUser.current = me !== null;
  }, [me, revalidator]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="StreamForge home">
          <span className="brand-mark" aria-hidden="true">▶</span> StreamForge
        </Link>
        <nav className="topnav" aria-label="Main">
          {me && (
            <Link to="/" aria-current={path === '/' ? 'page' : undefined}>
              Library
            </Link>
          )}
          <Link to="/explore" aria-current={path === '/explore' ? 'page' : undefined}>
            Explore
          </Link>
          {me ? (
            <>
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
            </>
          ) : (
            path !== '/login' && (
              <Link to="/login" className="btn btn-small">
                Sign in
              </Link>
            )
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <ConfirmEmailBanner />
        <Outlet />
      </main>
      <ScrollRestoration />
    </>
  );
}
