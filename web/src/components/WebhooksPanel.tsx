import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage, WEBHOOK_EVENTS, type Webhook, type WebhookCreated, type WebhookDelivery, type WebhookEvent } from '../api';
import { webhooksApi } from '../api/endpoints';
import { formatDate } from '../lib/format';
import { ConfirmDialog } from './ConfirmDialog';

const webhooks = webhooksApi(api);

/**
 * The account's webhook endpoints: register one (URL + events), see its signing secret once, list, delete, and
 * expand one to see its recent deliveries with a Resend button. The server validates the URL and explains a refusal.
 */
export function WebhooksPanel() {
  const [list, setList] = useState<Webhook[] | null>(null);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['video.ready', 'video.failed']);
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [expanded, setExpanded] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setList(await webhooks.list());
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const toggle = (event: WebhookEvent) =>
    setEvents((current) => (current.includes(event) ? current.filter((e) => e !== event) : [...current, event]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCreated(await webhooks.create(url.trim(), events));
      setUrl('');
      await load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (hook: Webhook) => {
    setDeleting(null);
    setError(null);
    try {
      await webhooks.remove(hook.id);
      if (expanded === hook.id) setExpanded(null);
      if (created?.id === hook.id) setCreated(null);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section className="panel webhooks-panel" data-testid="webhooks-panel" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="muted">
        StreamForge POSTs a signed JSON event to your endpoint when a video changes. See the API documentation for the payload and how to verify
        the StreamForge-Signature header.
      </p>
      {created && (
        <div className="alert alert-success" role="status" data-testid="webhook-secret">
          <p>
            Endpoint added. Its signing secret is shown only now; store it where your receiver can read it:
          </p>
          <code className="secret">{created.secret}</code>{' '}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => void navigator.clipboard?.writeText(created.secret)}>
            Copy
          </button>{' '}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      {list === null ? (
        <p className="muted">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted">No endpoints yet.</p>
      ) : (
        <ul className="webhook-list">
          {list.map((hook) => (
            <li key={hook.id} data-testid="webhook" data-url={hook.url}>
              <div>
                <strong className="webhook-url">{hook.url}</strong> <span className="muted">{hook.events.join(', ')}</span>
              </div>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                aria-expanded={expanded === hook.id}
                onClick={() => setExpanded(expanded === hook.id ? null : hook.id)}
              >
                {expanded === hook.id ? 'Hide deliveries' : 'Deliveries'}
              </button>{' '}
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setDeleting(hook)} aria-label={`Delete webhook ${hook.url}`}>
                Delete
              </button>
              {expanded === hook.id && <Deliveries webhookId={hook.id} />}
            </li>
          ))}
        </ul>
      )}
      <form className="webhook-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Endpoint URL</span>
          <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/hooks/streamforge" maxLength={2048} required />
        </label>
        <fieldset className="field">
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} className="field inline">
              <input type="checkbox" checked={events.includes(event)} onChange={() => toggle(event)} /> {event}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={busy || events.length === 0 || url.trim() === ''}>
          {busy ? 'Adding…' : 'Add endpoint'}
        </button>
      </form>
      {error && (
        <p className="alert alert-error" role="alert" data-testid="webhooks-error">
          {error}
        </p>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this webhook?"
        confirmLabel="Delete"
        danger
        onConfirm={() => deleting && void remove(deleting)}
        onCancel={() => setDeleting(null)}
      >
        <p>{deleting?.url} stops receiving events, and its delivery history is removed.</p>
      </ConfirmDialog>
    </section>
  );
}

/** One endpoint's recent deliveries, newest first; Resend sends the same delivery (same id and body) again. */
function Deliveries({ webhookId }: { webhookId: string }) {
  const [rows, setRows] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setRows(await webhooks.deliveries(webhookId));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [webhookId]);
  useEffect(() => void load(), [load]);

  const resend = async (delivery: WebhookDelivery) => {
    setError(null);
    try {
      await webhooks.resend(webhookId, delivery.id);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  if (rows === null) return error ? <p className="alert alert-error">{error}</p> : <p className="muted">Loading deliveries…</p>;
  return (
    <div className="webhook-deliveries" data-testid="webhook-deliveries">
      <button type="button" className="btn btn-small btn-ghost" onClick={() => void load()}>
        Refresh
      </button>
      {rows.length === 0 ? (
        <p className="muted">No deliveries yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Event</th>
              <th>Created</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Response</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-testid="webhook-delivery" data-status={d.status}>
                <td>{d.eventType}</td>
                <td>{formatDate(d.createdAt)}</td>
                <td>{d.status}</td>
                <td>{d.attempts}</td>
                <td title={d.lastError ?? undefined}>{d.lastStatusCode ?? (d.lastError ? 'no answer' : '—')}</td>
                <td>
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => void resend(d)}>
                    Resend
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
