import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useClipboard } from '../app/useClipboard';
import { errorMessage, shareLinks, type ShareLinkCreated, type Visibility } from '../api';
import { shareLinksQuery } from '../app/queries';
import { queryKeys } from '../app/queryKeys';
import { formatDate } from '../lib/format';
import { expiryHours, SHARE_EXPIRIES, shareLinkState, type ShareExpiry } from '../lib/sharing';

/**
 * The owner's share links of one video: each lets whoever holds it watch the video, private or not, until it
 * expires or is revoked. The URL is shown once, when the link is made (the server keeps only its hash).
 */
export function ShareLinksPanel({ videoId, visibility }: { videoId: string; visibility: Visibility | undefined }) {
  const client = useQueryClient();
  const links = useQuery(shareLinksQuery(videoId));
  const [expiry, setExpiry] = useState<ShareExpiry>('7d');
  const [created, setCreated] = useState<ShareLinkCreated | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { copied, copy, reset: resetCopied } = useClipboard(() => setError('The browser did not allow copying: select the link and copy it yourself.'));
  const refresh = () => void client.invalidateQueries({ queryKey: queryKeys.shareLinks(videoId) });

  const create = useMutation({
    mutationFn: (choice: ShareExpiry) => shareLinks.create(videoId, expiryHours(choice)),
    onSuccess: (link) => {
      setCreated(link);
      resetCopied();
      setError(null);
      refresh();
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const revoke = useMutation({
    mutationFn: (linkId: string) => shareLinks.revoke(videoId, linkId),
    onSuccess: (_, linkId) => {
      if (created?.id === linkId) setCreated(null);
      refresh();
    },
    onError: (e) => setError(errorMessage(e)),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(expiry);
  };
  const now = Date.now();

  return (
    <section className="panel" aria-labelledby="share-links-title" data-testid="share-links">
      <h2 id="share-links-title">Share links</h2>
      <p className="muted">
        {visibility === 'private'
          ? 'This video is private: a share link lets anyone who holds it watch, without an account, until it expires or you revoke it.'
          : 'A share link keeps working if you make this video private later, until it expires or you revoke it.'}
      </p>
      <form className="row gap wrap" onSubmit={submit} aria-label="New share link">
        <label className="field inline">
          <span>Expires after</span>
          <select value={expiry} aria-label="Share link expires after" onChange={(e) => setExpiry(e.target.value as ShareExpiry)}>
            {SHARE_EXPIRIES.map((x) => (
              <option key={x.value} value={x.value}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Create share link
        </button>
      </form>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {created && (
        <div className="alert alert-success" role="status">
          <p>Share link created. Copy it now: it is not shown again.</p>
          <div className="row gap">
            <input className="grow" readOnly value={created.url} aria-label="New share link" data-testid="new-share-link" onFocus={(e) => e.target.select()} />
            <button type="button" className="btn" onClick={() => void copy(created.url)}>
              {copied ? 'Copied' : 'Copy link'}
            </button>
          </div>
          <p className="small muted">Expires {formatDate(created.expiresAt)}.</p>
        </div>
      )}
      {links.isError && <p className="alert alert-error">{errorMessage(links.error)}</p>}
      {links.data && links.data.length > 0 && (
        <table className="table" aria-label="Share links">
          <thead>
            <tr>
              <th>Created</th>
              <th>Expires</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {links.data.map((link) => {
              const state = shareLinkState(link, now);
              return (
                <tr key={link.id} data-testid="share-link-row" data-state={state} data-link-id={link.id}>
                  <td>{formatDate(link.createdAt)}</td>
                  <td>{formatDate(link.expiresAt)}</td>
                  <td>{state === 'revoked' ? `Revoked ${formatDate(link.revokedAt ?? '')}` : state === 'expired' ? 'Expired' : 'Active'}</td>
                  <td>
                    {state === 'active' && (
                      <button
                        type="button"
                        className="btn btn-small btn-danger"
                        disabled={revoke.isPending}
                        aria-label={`Revoke the share link created ${formatDate(link.createdAt)}`}
                        onClick={() => revoke.mutate(link.id)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {links.data && links.data.length === 0 && <p className="muted small">No share links yet.</p>}
    </section>
  );
}
