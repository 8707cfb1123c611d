import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../api';
import { videoQuery } from '../app/queries';
import { queryKeys } from '../app/queryKeys';
import { CaptionsPanel } from '../components/CaptionsPanel';
import { DownloadMenu } from '../components/DownloadMenu';
import { PlayerView } from '../components/PlayerView';
import { PosterPicker } from '../components/PosterPicker';
import { QoePanel } from '../components/QoePanel';
import { Spinner } from '../components/Spinner';
import { StatusBadge } from '../components/StatusBadge';
import { formatBytes, formatDate, formatTime } from '../lib/format';
import { playableLabel, watchability } from '../lib/playable';

export function WatchPage() {
  const { id = '' } = useParams();
  const client = useQueryClient();
  // Kept live by the shell: a video finishing while this page is open turns into the player.
  const query = useQuery(videoQuery(id));
  const video = query.data ?? null;
  const error = query.error ? errorMessage(query.error) : null;

  // After a caption change: the player and the panel follow the API's list (the manifest may be CDN-cached).
  const reload = () => void client.invalidateQueries({ queryKey: queryKeys.video(id) });
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
          {/* The player stays mounted when a playable video turns ready: the same manifest URL completes in place. */}
          {watchability(video) !== 'not-yet' && video.manifestUrl ? (
            <>
              <PlayerView manifestUrl={video.manifestUrl} title={video.title} captions={captionSources} videoId={video.id} />
              {watchability(video) === 'playable-processing' && (
                <p className="muted small" data-testid="watch-processing">
                  <StatusBadge status={video.status} playableLabel={playableLabel(video)} /> You can watch the part published so far; the rest
                  follows as it is encoded.
                </p>
              )}
            </>
          ) : video.status === 'failed' ? (
            <div className="panel" role="alert" data-testid="watch-failed">
              <StatusBadge status={video.status} /> This video could not be processed{video.lastError ? `: ${video.lastError}` : '.'}
            </div>
          ) : (
            <div className="panel">
              <StatusBadge status={video.status} /> This video is not ready to play yet.
              {video.status === 'processing' && ' It plays here as soon as its first seconds are encoded.'}
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
              {/* null until the video is ready: a processing video is shown here too now that it can play. */}
              <dd>{video.renditions?.length ? video.renditions.map((r) => `${r.height}p`).join(', ') : '–'}</dd>
            </div>
            <div>
              <dt>Uploaded</dt>
              <dd>{formatDate(video.createdAt)}</dd>
            </div>
          </dl>
          {watchability(video) !== 'not-yet' && <QoePanel videoId={video.id} />}
          {video.status === 'ready' && <CaptionsPanel videoId={video.id} tracks={video.captions ?? []} onChange={reload} />}
          {video.status === 'ready' && (
            <PosterPicker videoId={video.id} posterUrl={video.posterUrl} thumbnailsVttUrl={video.thumbnailsVttUrl} onChange={reload} />
          )}
        </>
      )}
    </div>
  );
}
