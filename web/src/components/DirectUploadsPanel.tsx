import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useClipboard } from '../app/useClipboard';
import { directUploads, errorMessage, type CreateDirectUploadRequest, type DirectUpload, type DirectUploadCreated } from '../api';
import { formatDate } from '../lib/format';

const LINKS_KEY = ['direct-uploads'] as const;

const EXPIRIES: { label: string; seconds: number }[] = [
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 604_800 },
];

/**
 * Settings → Upload links: one-time links that let someone without an account upload one video into this
 * account. The token is shown once, when the link is made; the list shows each link's status.
 */
export function DirectUploadsPanel() {
  const client = useQueryClient();
  const links = useQuery({ queryKey: LINKS_KEY, queryFn: () => directUploads.list() });
  const [title, setTitle] = useState('');
  const [expiry, setExpiry] = useState(3600);
  const [origin, setOrigin] = useState('');
  const [passthrough, setPassthrough] = useState('');
  const [created, setCreated] = useState<DirectUploadCreated | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { copied, copy, reset: resetCopied } = useClipboard(() => setError('The browser did not allow copying: select the link and copy it yourself.'));

  const create = useMutation({
    mutationFn: (req: CreateDirectUploadRequest) => directUploads.create(req),
    onSuccess: (link) => {
      setCreated(link);
      resetCopied();
      setError(null);
      setTitle('');
      setPassthrough('');
      void client.invalidateQueries({ queryKey: LINKS_KEY });
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => directUploads.revoke(id),
    onSuccess: () => void client.invalidateQueries({ queryKey: LINKS_KEY }),
    onError: (e) => setError(errorMessage(e)),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      title: title.trim() || undefined,
      expiresInSeconds: expiry,
      allowedOrigin: origin.trim() || undefined,
      passthrough: passthrough || undefined,
    });
  };


  return (
    <section className="panel" aria-labelledby="upload-links-title">
      <h2 id="upload-links-title">Upload links</h2>
      <p className="muted">
        A link lets someone without an account upload one video into your library, charged to your storage. Anyone holding the link can
        use it until it expires or is used.
      </p>
      <form onSubmit={submit} aria-label="New upload link">
        <label className="field">
          <span>Title of the video (optional)</span>
          <input value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label className="field">
          <span>Expires after</span>
          <select value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
            {EXPIRIES.map((x) => (
              <option key={x.seconds} value={x.seconds}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Allowed origin (optional: only pages of this site may use the token)</span>
          <input value={origin} placeholder="https://partner.example" onChange={(e) => setOrigin(e.target.value)} />
        </label>
        <label className="field">
          <span>Passthrough (optional: your own reference, returned with the video)</span>
          <input value={passthrough} maxLength={255} onChange={(e) => setPassthrough(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Create upload link
        </button>
      </form>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {created && (
        <div className="alert alert-success" role="status">
          <p>Link created. Copy it now: it is not shown again.</p>
          <input readOnly value={created.uploadUrl} aria-label="New upload link" data-testid="new-upload-link" onFocus={(e) => e.target.select()} />
          <button type="button" className="btn" onClick={() => void copy(created.uploadUrl)}>
            {copied ? 'Copied' : 'Copy link'}
          </button>
          <p className="small muted">For your own page: token {created.token} (Authorization: Bearer on the upload API).</p>
        </div>
      )}
      {links.isError && <p className="alert alert-error">{errorMessage(links.error)}</p>}
      {links.data && links.data.length > 0 && (
        <table className="table" aria-label="Upload links">
          <thead>
            <tr>
              <th>Title</th>
              <th>Status</th>
              <th>Expires</th>
              <th>Origin</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {links.data.map((link) => (
              <LinkRow key={link.id} link={link} onRevoke={() => revoke.mutate(link.id)} revoking={revoke.isPending} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function LinkRow({ link, onRevoke, revoking }: { link: DirectUpload; onRevoke: () => void; revoking: boolean }) {
  return (
    <tr data-testid="upload-link-row" data-status={link.status}>
      <td>{link.title ?? <span className="muted">(the file's name)</span>}</td>
      <td>
        {link.status === 'used' && link.videoId ? (
          <a href={`/watch/${link.videoId}`}>used</a>
        ) : (
          link.status
        )}
      </td>
      <td>{formatDate(link.expiresAt)}</td>
      <td>{link.allowedOrigin ?? 'any'}</td>
      <td>
        {link.status !== 'used' && (
          <button type="button" className="btn btn-ghost" disabled={revoking} onClick={onRevoke}>
            Revoke
          </button>
        )}
      </td>
    </tr>
  );
}
