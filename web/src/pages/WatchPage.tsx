import { useCallback, useEffect, useState } from 'react';
import { errorMessage, videos, type Video } from '../api';
import { Link } from '../app/router';
import { CaptionsPanel } from '../components/CaptionsPanel';
import { DownloadMenu } from '../components/DownloadMenu';
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

  // After a caption change: the player and the panel follow the API's list (the manifest may be CDN-cached).
  const reload = useCallback(() => {
    videos
      .get(id)
      .then(setVideo)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [id]);
  const captionSources = (video?.captions ?? []).flatMap((c) => (c.url ? [{ lang: c.lang, label: c.label, url: c.url }] : []));

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
            <PlayerView manifestUrl={video.manifestUrl} title={video.title} captions={captionSources} />
          ) : (
            <div className="panel">
              <StatusBadge status={video.status} /> This video is not ready to play yet.
            </div>
          )}
          <div className="watch-head">
            <h1 className="watch-title">{video.title}</h1>
            {video.downloads && (video.downloads.original || video.downloads.renditions.length > 0) && (
              <DownloadMenu videoId={video.id} links={video.downloads} sizeBytes={video.sizeBytes} />
            )}
          </div>
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
          {video.status === 'ready' && <CaptionsPanel videoId={video.id} tracks={video.captions ?? []} onChange={reload} />}
        </>
      )}
    </div>
  );
}
