import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage, type WatchVideo } from '../api';
import { exploreQuery } from '../app/queries';
import { Pager } from '../components/Pager';
import { Spinner } from '../components/Spinner';
import { formatTime } from '../lib/format';

const PAGE_SIZE = 24;

/** /explore, for everyone: the public videos, newest first (unlisted and private ones are never listed). */
export function ExplorePage() {
  const [page, setPage] = useState(1);
  const query = useQuery(exploreQuery(page, PAGE_SIZE));
  const list = query.data ?? null;
  const pages = list ? Math.max(1, Math.ceil(list.total / PAGE_SIZE)) : 1;
  return (
    <div className="page explore">
      <h1>Explore</h1>
      <p className="muted">Public videos, newest first.</p>
      {query.error && (
        <p className="alert alert-error" role="alert">
          Could not load the videos: {errorMessage(query.error)}{' '}
          <button type="button" className="btn btn-small" onClick={() => void query.refetch()}>
            Try again
          </button>
        </p>
      )}
      {!list && !query.error && <Spinner label="Loading videos" />}
      {list && list.items.length === 0 && <p className="empty">No public videos yet.</p>}
      {list && list.items.length > 0 && (
        <div className="grid">
          {list.items.map((v) => (
            <ExploreCard key={v.id} video={v} />
          ))}
        </div>
      )}
      <Pager page={page} pages={pages} onPage={setPage} />
    </div>
  );
}

function ExploreCard({ video }: { video: WatchVideo }) {
  const href = `/watch/${encodeURIComponent(video.id)}`;
  return (
    <article className="card video-card" data-testid="explore-card" data-video-id={video.id} aria-label={video.title}>
      <Link to={href} tabIndex={-1} aria-hidden="true" className="poster-link">
        <div className="poster">
          {video.posterUrl ? <img src={video.posterUrl} alt="" loading="lazy" /> : <div className="poster-empty" aria-hidden="true">▶</div>}
          {video.durationSeconds != null && <span className="duration">{formatTime(video.durationSeconds)}</span>}
        </div>
      </Link>
      <div className="card-body">
        <h3 className="card-title">
          <Link to={href}>{video.title}</Link>
        </h3>
      </div>
    </article>
  );
}
