import { createBrowserRouter, isRouteErrorResponse, Link, useRouteError, type LoaderFunctionArgs } from 'react-router';
import { Spinner } from '../components/Spinner';
import { ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage } from '../pages/AccountMailPages';
import { AuthPage } from '../pages/AuthPage';
import { DirectUploadPage } from '../pages/DirectUploadPage';
import { ExplorePage } from '../pages/ExplorePage';
import { LibraryPage } from '../pages/LibraryPage';
import { SettingsPage } from '../pages/SettingsPage';
import { WatchPage } from '../pages/WatchPage';
import { AdminDashboardPage } from '../pages/admin/AdminDashboardPage';
import { AdminJobsPage } from '../pages/admin/AdminJobsPage';
import { AdminUsersPage } from '../pages/admin/AdminUsersPage';
import { AdminVideosPage } from '../pages/admin/AdminVideosPage';
import { requireAdmin, requireSignedIn, requireSignedOut } from './guards';
import { Shell } from './Shell';
import { currentUser } from './session';

async function signedOutOnly() {
  const stop = requireSignedOut(await currentUser());
  if (stop) throw stop;
  return null;
}

async function signedInOnly({ request }: LoaderFunctionArgs) {
  const stop = requireSignedIn(await currentUser(), request.url);
  if (stop) throw stop;
  return null;
}

async function adminOnly() {
  const stop = requireAdmin(await currentUser());
  if (stop) throw stop;
  return null;
}

export function NotFound({ message = 'There is nothing at this address.' }: { message?: string }) {
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

function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) return <NotFound message={typeof error.data === 'string' ? error.data : undefined} />;
  return (
    <div className="page">
      <h1>Something went wrong</h1>
      <p className="alert alert-error" role="alert">
        {error instanceof Error ? error.message : 'This page could not be shown.'}
      </p>
      <Link to="/" className="btn">
        Go to the library
      </Link>
    </div>
  );
}

/**
 * The SPA's addresses (the API's SPA fallback serves index.html for all of them). Mailed links
 * (/forgot-password, /reset-password, /confirm-email) open whether or not someone is signed in.
 */
export const router = createBrowserRouter([
  {
    id: 'root',
    element: <Shell />,
    // The header needs to know who is signed in before anything renders.
    loader: async () => {
      await currentUser();
      return null;
    },
    HydrateFallback: () => <Spinner label="Loading" />,
    errorElement: <RouteError />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          {
            loader: signedOutOnly,
            children: [
              { path: 'login', element: <AuthPage mode="login" /> },
              { path: 'register', element: <AuthPage mode="register" /> },
            ],
          },
          { path: 'forgot-password', element: <ForgotPasswordPage /> },
          { path: 'reset-password', element: <ResetPasswordPage /> },
          { path: 'confirm-email', element: <ConfirmEmailPage /> },
          // An upload link: no account needed, the token in the address is the credential.
          { path: 'u/:token', element: <DirectUploadPage /> },
          // Watching needs no account: the page shows what the API lets this viewer see (owner panels for the owner,
          // a "private" page for a private video without a share link).
          { path: 'watch/:id', element: <WatchPage /> },
          { path: 'explore', element: <ExplorePage /> },
          {
            id: 'signed-in',
            loader: signedInOnly,
            children: [
              { index: true, element: <LibraryPage /> },
              { path: 'settings', element: <SettingsPage /> },
              {
                path: 'admin',
                loader: adminOnly,
                children: [
                  { index: true, element: <AdminDashboardPage /> },
                  { path: 'overview', element: <AdminDashboardPage /> },
                  // One route for the list and a selected job, so selecting keeps the page's state (tab, selection).
                  { path: 'jobs/:id?', element: <AdminJobsPage /> },
                  { path: 'videos', element: <AdminVideosPage /> },
                  { path: 'users', element: <AdminUsersPage /> },
                ],
              },
              { path: '*', element: <NotFound /> },
            ],
          },
        ],
      },
    ],
  },
]);
