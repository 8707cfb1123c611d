import { useState } from 'react';
import type { Video } from '../api';
import { Link } from 'react-router';
import { formatBytes, formatTime } from '../lib/format';
import { isWatchable, playableLabel } from '../lib/playable';
import { StatusBadge } from './StatusBadge';
import { VisibilityBadge } from './VisibilityBadge';

export interface VideoCardActions {
  onRename(video: Video, title: string): Promise<void>;
  onDelete(video: Video): void;
  onRetry(video: Video): void;
  onCancel(video: Video): void;
}

export function VideoCard({ video, actions }: { video: Video; actions: VideoCardActions }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(video.title);
  const [saving, setSaving] = useState(false);
  // A processing video with a manifest plays already (the worker publishes it as it encodes).
  const ready = isWatchable(video);
  const watchUrl = `/watch/${encodeURIComponent(video.id)}`;

  const save = async () => {
    const trimmed = title.trim();
    if (!trimmed || trimmed === video.title) {
      setEditing(false);
      setTitle(video.title);
      return;
    }
    setSaving(true);
    try {
      await actions.onRename(video, trimmed);
      setEditing(false);
    } finally {
      setSaving(false);
    }
  };

  const poster = (
    <div className="poster">
      {video.posterUrl ? <img src={video.posterUrl} alt="" loading="lazy" /> : <div className="poster-empty" aria-hidden="true">▶</div>}
      {video.durationSeconds != null && <span className="duration">{formatTime(video.durationSeconds)}</span>}
    </div>
  );

  return (
    <article className="card video-card" data-testid="video-card" data-status={video.status} data-playable={ready ? 'true' : 'false'} data-video-id={video.id} aria-label={video.title}>
      {ready ? (
        <Link to={watchUrl} tabIndex={-1} aria-hidden="true" className="poster-link">
          {poster}
        </Link>
      ) : (
        poster
      )}
      <div className="card-body">
        {editing ? (
          <form
            className="row gap"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <input
              aria-label="Title"
              value={title}
              maxLength={200}
              autoFocus
              onChange={(e) => setTitle(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  setEditing(false);
                  setTitle(video.title);
                }
              }}
            />
            <button type="submit" className="btn btn-small" disabled={saving}>
              Save
            </button>
          </form>
        ) : (
          <h3 className="card-title">{ready ? <Link to={watchUrl}>{video.title}</Link> : video.title}</h3>
        )}
        <div className="row between wrap gap small">
          <span className="row gap">
            <StatusBadge status={video.status} playableLabel={playableLabel(video)} />
            <VisibilityBadge visibility={video.visibility} />
          </span>
          <span className="muted">
            {formatBytes(video.sizeBytes)}
            {video.height ? ` · ${video.height}p` : ''}
          </span>
        </div>
        {/* An import reports how much of the file arrived (browser uploads show theirs in the uploader). */}
        {video.status === 'uploading' && video.progress > 0 && (
          <div className="bar" role="progressbar" aria-label={`Importing ${video.title}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(video.progress)}>
            <div className="bar-fill bar-live" style={{ width: `${video.progress}%` }} />
          </div>
        )}
        {video.status === 'processing' && (
          <div className="bar" role="progressbar" aria-label={`Processing ${video.title}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(video.progress)}>
            <div className="bar-fill bar-stripes" style={{ width: `${Math.max(2, video.progress)}%` }} />
          </div>
        )}
        {video.status === 'processing' && video.queuedReason && (
          <p className="muted small" data-testid="queued-reason">
            {video.queuedReason}
          </p>
        )}
        {video.status === 'failed' && video.lastError && (
          <p className="alert alert-error small card-error" title={video.lastError}>
            {video.lastError}
          </p>
        )}
        <div className="row gap wrap card-actions">
          {ready && (
            <Link to={watchUrl} className="btn btn-primary btn-small">
              Watch
            </Link>
          )}
          {!editing && (
            <button type="button" className="btn btn-small" onClick={() => setEditing(true)} aria-label={`Edit title of ${video.title}`}>
              Edit
            </button>
          )}
          {video.status === 'failed' && (
            <button type="button" className="btn btn-small" onClick={() => actions.onRetry(video)}>
              Retry
            </button>
          )}
          {video.status === 'processing' && (
            <button type="button" className="btn btn-small" onClick={() => actions.onCancel(video)}>
              Stop processing
            </button>
          )}
          <button type="button" className="btn btn-small btn-danger" onClick={() => actions.onDelete(video)} aria-label={`Delete ${video.title}`}>
            Delete
          </button>
        </div>
      </div>
    </article>
  );
}
