import { useEffect, useState } from 'react';
import { errorMessage, videos, type Video } from '../api';
import { Link } from '../app/router';
import { PlayerView } from '../components/PlayerView';
import { Spinner } from '../components/Spinner';
import { StatusBadge } from '../components/StatusBadge';
import { formatBytes, formatDate, formatTime } from '../lib/format';

export function WatchPage({ id }: { id: string }) {
  const [video, setVideo] = useState<Video | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setVideo(null);
    setError(null);
    videos
      .get(id)
      .then((v) => live && setVideo(v))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [id]);

  return (
    <div className="page watch">
      <p>
        <Link to="/">← Back to library</Link>
      </p>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!video && !error && <Spinner label="Loading video" />}
      {video && (
        <>
          {video.status === 'ready' && video.manifestUrl ? (
            <PlayerView manifestUrl={video.manifestUrl} title={video.title} />
          ) : (
            <div className="panel">
              <StatusBadge status={video.status} /> This video is not ready to play yet.
            </div>
          )}
          <h1 className="watch-title">{video.title}</h1>
          <dl className="facts">
            <div>
              <dt>Duration</dt>
              <dd>{video.durationSeconds != null ? formatTime(video.durationSeconds) : '–'}</dd>
            </div>
            <div>
              <dt>Source</dt>
              <dd>
                {video.width && video.height ? `${video.width}×${video.height}` : '–'} · {formatBytes(video.sizeBytes)}
              </dd>
            </div>
            <div>
              <dt>Renditions</dt>
              <dd>{video.renditions.length ? video.renditions.map((r) => `${r.height}p`).join(', ') : '–'}</dd>
            </div>
            <div>
              <dt>Uploaded</dt>
              <dd>{formatDate(video.createdAt)}</dd>
            </div>
          </dl>
        </>
      )}
    </div>
  );
}
