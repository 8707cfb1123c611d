import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { errorMessage, type Video, type WatchVideo } from '../api';
import { videoQuery, watchQuery } from '../app/queries';
import { queryKeys } from '../app/queryKeys';
import { useSession } from '../app/session';
import { CaptionsPanel } from '../components/CaptionsPanel';
import { DownloadMenu } from '../components/DownloadMenu';
import { LockIcon } from '../components/Icons';
import { PlayerView } from '../components/PlayerView';
import { PosterPicker } from '../components/PosterPicker';
import { QoePanel } from '../components/QoePanel';
import { ShareLinksPanel } from '../components/ShareLinksPanel';
import { Spinner } from '../components/Spinner';
import { StatusBadge } from '../components/StatusBadge';
import { VisibilityBadge } from '../components/VisibilityBadge';
import { VisibilityPanel } from '../components/VisibilityPanel';
import { formatBytes, formatDate, formatTime } from '../lib/format';
import { playableLabel, watchability } from '../lib/playable';
import { isNotFound, isVideoPrivate, mediaMovePending, shareTokenFrom, signInHref, withoutPlaybackToken } from '../lib/sharing';

const MOVE_POLL_MS = 3000;

/**
 * The media URL the player keeps: each watch answer signs a private video's URLs afresh, so a re-read (after an
 * event, a caption change) must not restart playback unless the media itself moved.
 */
function useSteadyMediaUrl(url: string | null): string | null {
  const kept = useRef<string | null>(null);
  if (url === null) kept.current = null;
  else if (kept.current === null || withoutPlaybackToken(kept.current) !== withoutPlaybackToken(url)) kept.current = url;
  return kept.current;
}

/**
 * /watch/:id for everyone. The viewer's view comes from GET /watch/{id} (with the address's ?share= token); its
 * owner also gets the video's own record (status before it plays, facts) and the owner's panels.
 */
export function WatchPage() {
  const { id = '' } = useParams();
  const { pathname, search } = useLocation();
  const share = shareTokenFrom(search);
  const { me } = useSession();
  const client = useQueryClient();

  // While a visibility change moves the media, re-read until the answer points at its new place.
  const view = useQuery({ ...watchQuery(id, share), refetchInterval: (q) => (q.state.data && mediaMovePending(q.state.data) ? MOVE_POLL_MS : false) });
  // The own record: asked for when the viewer may own the video (the watch answer says so, or it does not play yet).
  const mayOwn = me !== null && (view.data?.isOwner === true || isNotFound(view.error));
  const record = useQuery({ ...videoQuery(id), enabled: mayOwn });
  const video = mayOwn ? (record.data ?? null) : null;
  const isOwner = video !== null && video.ownerId === me?.id;

  // The record is kept live by the shell: when it starts to play, finishes or moves, the viewer's view follows.
  const recordState = video ? `${video.status}|${video.manifestUrl ?? ''}|${video.visibility ?? ''}` : null;
  const lastState = useRef(recordState);
  useEffect(() => {
    if (lastState.current !== null && recordState !== null && lastState.current !== recordState) {
      void client.invalidateQueries({ queryKey: queryKeys.watchOf(id) });
    }
    lastState.current = recordState;
  }, [client, id, recordState]);

  const w = view.data ?? null;
  const manifestUrl = useSteadyMediaUrl(w?.playable ? w.manifestUrl : null);
  // A fresh answer signs the media afresh: the player asks for one when a long play outlives its playback token.
  const renewManifestUrl = useCallback(async () => {
    const fresh = await client.fetchQuery({ ...watchQuery(id, share), staleTime: 0 });
    return fresh.playable ? fresh.manifestUrl : null;
  }, [client, id, share]);

  if (isVideoPrivate(view.error)) return <PrivateVideo signedIn={me !== null} hadShare={share !== null} signIn={signInHref(pathname, search)} />;
  const waitingForRecord = mayOwn && record.isPending;
  if (isNotFound(view.error) && !video && !waitingForRecord) return <VideoNotFound signedIn={me !== null} />;
  const error = view.error && !isNotFound(view.error) ? errorMessage(view.error) : null;

  // After a caption or poster change: the player and the panels follow the API (the manifest may be CDN-cached).
  const reload = () => {
    void client.invalidateQueries({ queryKey: queryKeys.video(id) });
    void client.invalidateQueries({ queryKey: queryKeys.watchOf(id) });
  };
  const captionSources = (w?.captions ?? []).flatMap((c) => (c.url ? [{ lang: c.lang, label: c.label, url: c.url }] : []));
  const title = w?.title ?? video?.title ?? '';
  const processing = w ? w.status === 'processing' : video ? watchability(video) === 'playable-processing' : false;

  return (
    <div className="page watch">
      <p>{me ? <Link to="/">← Back to library</Link> : <Link to="/explore">← Explore videos</Link>}</p>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!w && !video && !error && <Spinner label="Loading video" />}
      {(w || video) && (
        <>
          {manifestUrl ? (
            <>
              <PlayerView manifestUrl={manifestUrl} title={title} captions={captionSources} videoId={id} renewManifestUrl={renewManifestUrl} />
              {processing && (
                <p className="muted small" data-testid="watch-processing">
                  {video ? <StatusBadge status={video.status} playableLabel={playableLabel(video)} /> : <StatusBadge status="processing" />} You can
                  watch the part published so far; the rest follows as it is encoded.
                </p>
              )}
            </>
          ) : video ? (
            <NotPlayable video={video} />
          ) : null}
          <div className="watch-head">
            <h1 className="watch-title">{title}</h1>
            <VisibilityBadge visibility={w?.visibility ?? video?.visibility} />
            {isOwner && video?.downloads && (video.downloads.original || video.downloads.renditions.length > 0) && (
              <DownloadMenu videoId={video.id} links={video.downloads} sizeBytes={video.sizeBytes} />
            )}
          </div>
          {isOwner && video ? <OwnerFacts video={video} /> : w && <ViewerFacts watch={w} />}
          {isOwner && video && (
            <>
              <VisibilityPanel video={video} moving={w !== null && mediaMovePending(w)} />
              <ShareLinksPanel videoId={video.id} visibility={video.visibility} />
              {watchability(video) !== 'not-yet' && <QoePanel videoId={video.id} />}
              {video.status === 'ready' && <CaptionsPanel videoId={video.id} tracks={video.captions ?? []} onChange={reload} />}
              {video.status === 'ready' && (
                <PosterPicker videoId={video.id} posterUrl={video.posterUrl} thumbnailsVttUrl={video.thumbnailsVttUrl} onChange={reload} />
              )}
            </>
          )}
        </>
      )}
    </div>
  );
}

function NotPlayable({ video }: { video: Video }) {
  if (video.status === 'failed') {
    return (
      <div className="panel" role="alert" data-testid="watch-failed">
        <StatusBadge status={video.status} /> This video could not be processed{video.lastError ? `: ${video.lastError}` : '.'}
      </div>
    );
  }
  return (
    <div className="panel">
      <StatusBadge status={video.status} /> This video is not ready to play yet.
      {video.status === 'processing' && ' It plays here as soon as its first seconds are encoded.'}
    </div>
  );
}

function OwnerFacts({ video }: { video: Video }) {
  return (
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
  );
}

function ViewerFacts({ watch }: { watch: WatchVideo }) {
  return (
    <dl className="facts">
      <div>
        <dt>Duration</dt>
        <dd>{watch.durationSeconds != null ? formatTime(watch.durationSeconds) : '–'}</dd>
      </div>
    </dl>
  );
}

/** The answer to a viewer without the right to watch: said plainly, with the way in when there is one. */
function PrivateVideo({ signedIn, hadShare, signIn }: { signedIn: boolean; hadShare: boolean; signIn: string }) {
  return (
    <div className="page narrow" data-testid="video-private">
      <div className="panel private-notice" role="alert">
        <p className="private-mark">
          <LockIcon size={48} />
        </p>
        <h1>This video is private</h1>
        <p>Only its owner, and people the owner gave a share link, can watch it.</p>
        {hadShare && <p>The share link in this address has expired or was revoked: ask the owner for a new one.</p>}
        {signedIn ? (
          <p className="muted">The account you are signed in with has no access to it.</p>
        ) : (
          <p>
            Is it yours?{' '}
            <Link to={signIn} className="btn btn-primary" data-testid="private-sign-in">
              Sign in
            </Link>
          </p>
        )}
        <p>
          <Link to="/explore">Explore public videos</Link>
        </p>
      </div>
    </div>
  );
}

function VideoNotFound({ signedIn }: { signedIn: boolean }) {
  return (
    <div className="page" data-testid="video-not-found">
      <h1>Video not found</h1>
      <p>There is no video at this address, or it cannot be watched yet.</p>
      <Link to={signedIn ? '/' : '/explore'} className="btn">
        {signedIn ? 'Go to the library' : 'Explore videos'}
      </Link>
    </div>
  );
}
