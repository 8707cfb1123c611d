import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';

const LINKS = [
  { to: '/admin/overview', label: 'Overview' },
  { to: '/admin/jobs', label: 'Jobs' },
  { to: '/admin/videos', label: 'All videos' },
  { to: '/admin/users', label: 'Users' },
];

export function AdminNav() {
  const { pathname: path } = useLocation();
  // "/admin" itself shows the overview.
  const current = path === '/admin' ? '/admin/overview' : path;
  return (
    <nav className="tabs" aria-label="Admin sections">
      {LINKS.map((l) => (
        <Link key={l.to} to={l.to} className={`tab ${current.startsWith(l.to) ? 'tab-active' : ''}`} aria-current={current.startsWith(l.to) ? 'page' : undefined}>
          {l.label}
        </Link>
      ))}
    </nav>
  );
}

/** The shell of every admin page: title, section tabs, then the page's content. */
export function AdminPage({ children }: { children: ReactNode }) {
  return (
    <div className="page admin">
      <h1>Administration</h1>
      <AdminNav />
      {children}
    </div>
  );
}
