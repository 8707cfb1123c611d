import { Link, useLocation } from '../../app/router';

const LINKS = [
  { to: '/admin/jobs', label: 'Jobs' },
  { to: '/admin/videos', label: 'All videos' },
  { to: '/admin/users', label: 'Users' },
];

export function AdminNav() {
  const { path } = useLocation();
  return (
    <nav className="tabs" aria-label="Admin sections">
      {LINKS.map((l) => (
        <Link key={l.to} to={l.to} className={`tab ${path.startsWith(l.to) ? 'tab-active' : ''}`} aria-current={path.startsWith(l.to) ? 'page' : undefined}>
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
