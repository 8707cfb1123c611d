import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import {
  CaptionTracks,
  clampSeek,
  HLS_MIME_TYPE,
  MsePlayer,
  loadManifest,
  mediaSourceAvailable,
  playbackMode,
  type AudioTrackOption,
  type CaptionSource,
  type PlayerState,
  QoeCollector,
  QoeReporter,
} from '../player';
import { formatTime } from '../lib/format';
import { ControlMenu } from './ControlMenu';
import { FullscreenIcon, PauseIcon, PlayIcon, VolumeIcon } from './Icons';
import { SeekBar } from './SeekBar';
import { Spinner } from './Spinner';

interface PlayerProps {
  manifestUrl: string;
  title: string;
  /** Caption tracks from the API (fresher than a CDN-cached manifest right after a change). */
  captions?: CaptionSource[];
  /** When set, the player reports this view's playback quality (QoE) for the video to the API. */
  videoId?: string;
  /** A fresh URL of the same manifest: a private video's playback token can expire during a long play. */
  renewManifestUrl?: (() => Promise<string | null>) | null;
}

/**
 * Our MSE player where the browser has MediaSource; the native HLS player where it has not (iPhone Safari), which
 * offers the captions itself from the master playlist's subtitles group.
 */
export function PlayerView({ manifestUrl, title, captions = [], videoId = '', renewManifestUrl = null }: PlayerProps) {
  const [mode] = useState(() =>
    playbackMode(mediaSourceAvailable(), typeof document !== 'undefined' && document.createElement('video').canPlayType(HLS_MIME_TYPE) !== ''),
  );
  return mode === 'native-hls' ? (
    <NativeHlsView manifestUrl={manifestUrl} title={title} />
  ) : (
    <MseView manifestUrl={manifestUrl} title={title} captions={captions} videoId={videoId} renewManifestUrl={renewManifestUrl} />
  );
}

/** The browser's own controls over the HLS master playlist of the same segments. */
function NativeHlsView({ manifestUrl, title }: { manifestUrl: string; title: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadManifest(manifestUrl, undefined, { goneOn404: true })
      .then((m) => {
        if (!live) return;
        if (m.hls) setSrc(m.hls);
        else setError('This video has no HLS playlist yet; ask its owner to process it again.');
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [manifestUrl]);
  return (
    <div className="player" data-testid="player" data-status={error ? 'error' : src ? 'native-hls' : 'loading'} aria-label={`Video player: ${title}`}>
      {src && <video className="player-video" src={src} controls playsInline autoPlay />}
      {error && (
        <div className="player-overlay player-error" role="alert" data-testid="player-error">
          <p>
            <strong>Cannot play this video.</strong>
          </p>
          <p>{error}</p>
        </div>
      )}
    </div>
  );
}

/** A track's label, with its language when another track has the same label ("Stereo (fr)"). */
function audioLabel(track: AudioTrackOption, all: AudioTrackOption[]): string {
  const repeated = all.some((t) => t !== track && t.label === track.label);
  return repeated && track.lang !== 'und' ? `${track.label} (${track.lang})` : track.label;
}

/**
 * The React skin over MsePlayer: custom controls, keyboard shortcuts, stall spinner, errors, audio and captions menus, and
 * while the video is still processing, how far it is published and a "still processing" note at that edge.
 */
function MseView({ manifestUrl, title, captions, videoId, renewManifestUrl }: Required<PlayerProps>) {
  const containerRef = useRef<HTMLDivElement>(null);
  // Read when a token expires, not when the player is made: a new function from the page must not restart playback.
  const renewRef = useRef(renewManifestUrl);
  renewRef.current = renewManifestUrl;
  const videoRef = useRef<HTMLVideoElement>(null);
  const playerRef = useRef<MsePlayer | null>(null);
  const captionsRef = useRef<CaptionTracks | null>(null);
  const [state, setState] = useState<PlayerState | null>(null);
  const [fullscreen, setFullscreen] = useState(false);
  const [caption, setCaption] = useState<string>('off');
  const [captionError, setCaptionError] = useState<string | null>(null);
  const captionKey = captions.map((c) => `${c.lang}|${c.label}|${c.url}`).join('\n');

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const tracks = new CaptionTracks(video, captions);
    captionsRef.current = tracks;
    setCaption((current) => (captions.some((c) => c.lang === current) ? current : 'off'));
    return () => {
      tracks.destroy();
      captionsRef.current = null;
    };
    // captionKey stands for the list's content: a new array with the same tracks must not rebuild them.
  }, [captionKey]);

  useEffect(() => {
    setCaptionError(null);
    captionsRef.current?.select(caption === 'off' ? null : caption).catch((e: unknown) => {
      setCaptionError(e instanceof Error ? e.message : String(e));
    });
  }, [caption, captionKey]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const player = new MsePlayer(video, {
      pixelHeight: () => (video.clientHeight || 360) * (window.devicePixelRatio || 1),
      renewSource: () => renewRef.current?.() ?? Promise.resolve(null),
    });
    playerRef.current = player;
    const off = player.events.on('state', setState);
    // Made before load() so startup counts from the load request; one view per manifest load.
    const qoe = videoId
      ? new QoeCollector(videoId, () => performance.now(), () => video.getVideoPlaybackQuality?.().droppedVideoFrames ?? 0)
      : null;
    const reporter = qoe ? new QoeReporter({ document, window }) : null;
    const offQoe = qoe ? [player.events.on('state', (s) => qoe.observe(s)), player.events.on('error', () => qoe.fatalError())] : [];
    if (qoe && reporter) {
      reporter.add(qoe);
      reporter.start();
    }
    void player.load(manifestUrl).then(() => {
      video.play().catch(() => qoe?.autoplayRefused()); // autoplay may be refused: the play button is there
    });
    return () => {
      off();
      for (const stop of offQoe) stop();
      reporter?.stop(); // the last figures leave before the player goes
      player.destroy();
      playerRef.current = null;
    };
  }, [manifestUrl, videoId]);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === containerRef.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const video = () => videoRef.current;
  const togglePlay = () => {
    const v = video();
    if (!v) return;
    if (v.paused || v.ended) void v.play().catch(() => undefined);
    else v.pause();
  };
  const seek = (t: number) => {
    const v = video();
    if (!v) return;
    // Read the player now, not the last render: the published end moves every couple of seconds.
    const now = playerRef.current?.getState();
    const duration = Number.isFinite(v.duration) ? v.duration : t;
    v.currentTime = now ? clampSeek(t, duration, now.availableEnd, now.complete) : Math.min(Math.max(t, 0), duration);
  };
  const toggleMute = () => {
    const v = video();
    if (v) v.muted = !v.muted;
  };
  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void containerRef.current?.requestFullscreen?.().catch(() => undefined);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    // Typing in the quality menu or the volume slider is not a shortcut.
    if (target.tagName === 'SELECT' || target.tagName === 'INPUT') return;
    const v = video();
    if (!v) return;
    switch (e.key) {
      case ' ':
      case 'k':
        if (target.tagName === 'BUTTON' && e.key === ' ') return; // the focused button handles space
        e.preventDefault();
        togglePlay();
        break;
      case 'ArrowLeft':
        e.preventDefault();
        seek(v.currentTime - 5);
        break;
      case 'ArrowRight':
        e.preventDefault();
        seek(v.currentTime + 5);
        break;
      case 'f':
        e.preventDefault();
        toggleFullscreen();
        break;
      case 'm':
        e.preventDefault();
        toggleMute();
        break;
    }
  };

  const s = state;
  const waitingForMore = s?.status === 'ready' && s.waitingForMore;
  const busy = !waitingForMore && (!s || s.status === 'loading' || (s.status === 'ready' && (s.stalled || s.seeking)));
  const growing = s?.status === 'ready' && !s.complete;
  const qualityLabel = (id: string | null) => s?.qualities.find((q) => q.id === id)?.height;
  const autoLabel = s?.currentQuality ? `Auto (${qualityLabel(s.currentQuality) ?? '?'}p)` : 'Auto';

  return (
    <div
      ref={containerRef}
      className={`player ${fullscreen ? 'player-fullscreen' : ''}`}
      data-testid="player"
      data-status={s?.status ?? 'idle'}
      data-quality={s?.currentQuality ?? ''}
      data-audio-track={s?.currentAudioTrack ?? ''}
      data-complete={s ? String(s.complete) : ''}
      data-waiting-for-more={waitingForMore ? 'true' : 'false'}
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-label={`Video player: ${title}. Shortcuts: space or k play/pause, arrows seek 5 seconds, f fullscreen, m mute.`}
    >
      <video ref={videoRef} className="player-video" playsInline onClick={togglePlay} onDoubleClick={toggleFullscreen} />
      {busy && s?.status !== 'error' && (
        <div className="player-overlay" data-testid="player-spinner">
          <Spinner label={s?.stalled ? 'Buffering' : 'Loading video'} />
        </div>
      )}
      {waitingForMore && (
        <div className="player-overlay" data-testid="player-processing" role="status">
          <p className="player-note">
            <strong>Still processing</strong> — more of this video is on its way. Playback goes on by itself.
          </p>
        </div>
      )}
      {s?.status === 'error' && (
        <div className="player-overlay player-error" role="alert" data-testid="player-error">
          <p>
            <strong>Cannot play this video.</strong>
          </p>
          <p>{s.error}</p>
        </div>
      )}
      <div className="player-controls">
        <SeekBar
          currentTime={s?.currentTime ?? 0}
          duration={s?.duration ?? 0}
          buffered={s?.buffered ?? []}
          available={growing ? s.availableEnd : null}
          onSeek={seek}
          thumbnailAt={(t) => playerRef.current?.thumbnailAt(t) ?? null}
        />
        <div className="player-buttons">
          <button type="button" className="pbtn" onClick={togglePlay} aria-label={s && !s.paused && !s.ended ? 'Pause video' : 'Play video'}>
            {s && !s.paused && !s.ended ? <PauseIcon /> : <PlayIcon />}
          </button>
          <span className="ptime" aria-live="off">
            {formatTime(s?.currentTime ?? 0)} / {formatTime(s?.duration ?? 0)}
          </span>
          {growing && (
            <span className="ptime muted" data-testid="player-available" title="The video is still processing: this much can be played so far">
              {formatTime(s.availableEnd)} ready so far
            </span>
          )}
          <span className="grow" />
          <button type="button" className="pbtn" onClick={toggleMute} aria-label={s?.muted ? 'Unmute' : 'Mute'}>
            <VolumeIcon muted={Boolean(s?.muted || s?.volume === 0)} />
          </button>
          <input
            type="range"
            className="volume"
            min={0}
            max={1}
            step={0.05}
            value={s?.muted ? 0 : (s?.volume ?? 1)}
            aria-label="Volume"
            onChange={(e) => {
              const v = video();
              if (!v) return;
              v.volume = Number(e.target.value);
              v.muted = v.volume === 0;
            }}
          />
          <ControlMenu
            label="Quality"
            value={s?.qualityMode ?? 'auto'}
            onChange={(value) => playerRef.current?.setQuality(value)}
            disabled={!s || s.qualities.length === 0}
            options={[{ value: 'auto', label: autoLabel }, ...[...(s?.qualities ?? [])].reverse().map((q) => ({ value: q.id, label: `${q.height}p` }))]}
          />
          {s && s.audioTracks.length >= 2 && (
            <ControlMenu
              label="Audio"
              testId="audio-menu"
              value={s.audioTrack ?? ''}
              onChange={(id) => playerRef.current?.setAudioTrack(id)}
              options={s.audioTracks.map((t) => ({ value: t.id, label: audioLabel(t, s.audioTracks) }))}
            />
          )}
          {captions.length > 0 && (
            <ControlMenu
              label="Captions"
              testId="captions-menu"
              value={caption}
              title={captionError ?? undefined}
              onChange={setCaption}
              options={[{ value: 'off', label: 'Captions off' }, ...captions.map((c) => ({ value: c.lang, label: c.label }))]}
            />
          )}
          <button type="button" className="pbtn" onClick={toggleFullscreen} aria-label={fullscreen ? 'Exit fullscreen' : 'Fullscreen'}>
            <FullscreenIcon exit={fullscreen} />
          </button>
        </div>
      </div>
    </div>
  );
}
