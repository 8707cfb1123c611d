import { useEffect, useState, type ChangeEvent } from 'react';
import { errorMessage, posters, type Poster } from '../api';
import { loadThumbnails, type ThumbnailCue } from '../player/thumbnails';
import { formatTime } from '../lib/format';

const ACCEPT = 'image/jpeg,image/png';
const POLL_MS = 1000;
const POLL_LIMIT = 60;

/**
 * The owner's poster of a ready video, chosen three ways: a frame of the thumbnail strip, the frame the player
 * shows now, or an uploaded JPEG/PNG. A worker makes the picture, so each choice is polled until it is ready or
 * has failed; then the video is reloaded (its posterUrl names the new key).
 */
export function PosterPicker({
  videoId,
  posterUrl,
  thumbnailsVttUrl,
  onChange,
}: {
  videoId: string;
  posterUrl: string | null;
  thumbnailsVttUrl: string | null;
  onChange: () => void;
}) {
  const [tiles, setTiles] = useState<ThumbnailCue[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!thumbnailsVttUrl) return;
    const abort = new AbortController();
    loadThumbnails(thumbnailsVttUrl, fetch, abort.signal)
      .then(setTiles)
      .catch(() => setTiles([]));
    return () => abort.abort();
  }, [thumbnailsVttUrl]);

  const choose = async (start: () => Promise<Poster>) => {
    setBusy(true);
    setError(null);
    try {
      let poster = await start();
      for (let i = 0; poster.status === 'preparing' && i < POLL_LIMIT; i++) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        poster = await posters.get(videoId);
      }
      if (poster.status === 'failed') setError(poster.error ?? 'The poster could not be made.');
      else if (poster.status === 'preparing') setError('The poster is still being made; reload the page in a moment.');
      onChange();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  // The player keeps its position on its <video> element; reading it here keeps the player free of picker concerns.
  const currentFrame = () => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="player"] video');
    void choose(() => posters.atSeconds(videoId, video?.currentTime ?? 0));
  };

  const upload = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) void choose(() => posters.image(videoId, file));
  };

  return (
    <section className="panel poster-picker" data-testid="poster-picker" aria-labelledby="poster-heading">
      <h2 id="poster-heading">Poster</h2>
      <div className="poster-current">
        {posterUrl ? <img src={posterUrl} alt="Current poster" data-testid="poster-current" /> : <p className="muted">No poster yet.</p>}
      </div>
      {tiles.length > 0 && (
        <ul className="poster-strip" aria-label="Choose a frame">
          {tiles.map((tile, i) => (
            <li key={tile.start}>
              <button
                type="button"
                className="poster-tile"
                data-testid="poster-tile"
                disabled={busy}
                onClick={() => void choose(() => posters.fromSprite(videoId, i))}
                aria-label={`Use the frame at ${formatTime(tile.start)}`}
                style={{
                  width: tile.w,
                  height: tile.h,
                  backgroundImage: `url("${tile.url}")`,
                  backgroundPosition: `-${tile.x}px -${tile.y}px`,
                }}
              />
            </li>
          ))}
        </ul>
      )}
      <div className="poster-actions">
        <button type="button" className="btn" disabled={busy} onClick={currentFrame} data-testid="poster-current-frame">
          Use current frame
        </button>
        <label className="btn">
          Upload an image (JPEG or PNG)
          <input type="file" accept={ACCEPT} className="visually-hidden" disabled={busy} onChange={upload} data-testid="poster-upload" />
        </label>
        {busy && <span className="muted">Making the poster…</span>}
      </div>
      {error && (
        <p className="alert alert-error" role="alert" data-testid="poster-error">
          {error}
        </p>
      )}
    </section>
  );
}
