import { useEffect, useRef, useState } from 'react';
import { downloads, errorMessage, type Download, type VideoDownloads } from '../api';
import { formatBytes } from '../lib/format';

type ItemState = 'idle' | 'preparing' | 'error';

/** How long a rendition may take to be remuxed before the menu stops asking (the server keeps working on it). */
const PREPARE_DEADLINE_MS = 5 * 60_000;
const POLL_MS = 1000;

/** Starts the browser's download: the link answers with Content-Disposition: attachment, so the page stays. */
function save(download: Download) {
  if (!download.url) return;
  const a = document.createElement('a');
  a.href = download.url;
  a.download = download.fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

const mbps = (bps: number) => `${(bps / 1_000_000).toFixed(bps < 1_000_000 ? 2 : 1)} Mbit/s`;

/**
 * The watch page's download menu: the original upload, and an MP4 of each rendition. A rendition's MP4 is made on
 * the first request (a few seconds of remuxing); the item shows "preparing…" and asks again until the link exists.
 */
export function DownloadMenu({ videoId, links, sizeBytes }: { videoId: string; links: VideoDownloads; sizeBytes: number }) {
  const [open, setOpen] = useState(false);
  const [states, setStates] = useState<Record<string, ItemState>>({});
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const setState = (key: string, state: ItemState) => setStates((s) => ({ ...s, [key]: state }));

  const fetchOriginal = async () => {
    setError(null);
    try {
      save(await downloads.original(videoId));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const fetchRendition = async (id: string) => {
    setError(null);
    setState(id, 'preparing');
    const deadline = Date.now() + PREPARE_DEADLINE_MS;
    try {
      for (;;) {
        const answer = await downloads.rendition(videoId, id);
        if (!alive.current) return;
        if (answer.status === 'ready') {
          setState(id, 'idle');
          save(answer);
          return;
        }
        if (Date.now() > deadline) throw new Error('The MP4 is taking long to prepare; try again in a few minutes.');
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } catch (e) {
      if (!alive.current) return;
      setState(id, 'error');
      setError(errorMessage(e));
    }
  };

  return (
    <div className="download-menu" data-testid="download-menu">
      <button type="button" className="btn" aria-expanded={open} aria-haspopup="menu" onClick={() => setOpen((o) => !o)}>
        Download ▾
      </button>
      {open && (
        <ul className="download-list" role="menu" aria-label="Download">
          {links.original && (
            <li role="none">
              <button type="button" role="menuitem" className="download-item" data-testid="download-item" data-id="original" onClick={() => void fetchOriginal()}>
                <strong>Original</strong> <span className="muted">{formatBytes(sizeBytes)}</span>
              </button>
            </li>
          )}
          {[...links.renditions].reverse().map((r) => {
            const state = states[r.id] ?? 'idle';
            return (
              <li role="none" key={r.id}>
                <button
                  type="button"
                  role="menuitem"
                  className="download-item"
                  data-testid="download-item"
                  data-id={r.id}
                  data-state={state}
                  disabled={state === 'preparing'}
                  onClick={() => void fetchRendition(r.id)}
                >
                  <strong>{r.height}p MP4</strong>{' '}
                  <span className="muted">
                    {r.width}×{r.height} · {mbps(r.bandwidth)} · {r.codecs}
                  </span>
                  {state === 'preparing' && <span className="download-state"> preparing…</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
