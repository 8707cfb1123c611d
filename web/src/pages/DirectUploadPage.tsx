import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useParams } from 'react-router';
import { formatBytes } from '../lib/format';
import {
  credentialUploadServer,
  IndexedDbResumeStore,
  isActiveUpload,
  MemoryResumeStore,
  resumeKeyForToken,
  UploadManager,
  VIDEO_EXTENSIONS,
  XhrTransport,
  type UploadItemState,
} from '../upload';
import { UPLOAD_STATUS_TEXT } from '../components/uploadText';

/** The owner's wording, but to a guest: what happens next is not theirs to watch. */
const STATUS_TEXT: Record<UploadItemState['status'], string> = {
  ...UPLOAD_STATUS_TEXT,
  needs_file: 'Unfinished — choose the same file again to continue where it stopped',
  done: 'Uploaded — thank you',
};

/** One engine per link: its token is the credential, its resume records live under the token's own key. */
function useLinkUploads(token: string) {
  const [manager] = useState(
    () =>
      new UploadManager({
        server: credentialUploadServer({ credential: () => token }),
        transport: new XhrTransport(),
        store: typeof indexedDB !== 'undefined' ? new IndexedDbResumeStore() : new MemoryResumeStore(),
        // A link uploads one video: a quota check before starting is the server's (the owner's quota).
      }),
  );
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void resumeKeyForToken(token)
      .then((key) => manager.setUser(key))
      .then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [manager, token]);
  const state = useSyncExternalStore(
    (l) => manager.subscribe(l),
    () => manager.getState(),
  );
  return { manager, items: state.items, ready };
}

/**
 * /u/:token — the page behind an upload link, for someone without an account: choose a video, watch it upload,
 * and after a reload choose the same file again to continue from the parts already sent.
 */
export function DirectUploadPage() {
  const { token = '' } = useParams();
  const { manager, items, ready } = useLinkUploads(token);
  const inputRef = useRef<HTMLInputElement>(null);
  const [rejection, setRejection] = useState<string | null>(null);
  const item = items.find((i) => i.status !== 'cancelled') ?? null;

  const choose = (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    const result = manager.addFiles([file]);
    setRejection(result.rejected[0]?.reason ?? null);
    for (const id of result.added) {
      if (manager.getState().items.find((i) => i.id === id)?.status === 'staged') manager.start(id);
    }
    if (inputRef.current) inputRef.current.value = '';
  };

  const canChoose = ready && (!item || item.status === 'needs_file' || item.status === 'error');
  const pct = item && item.size > 0 ? Math.floor((item.bytesSent / item.size) * 100) : 0;

  return (
    <div className="page narrow">
      <h1>Upload a video</h1>
      <p className="muted">Someone shared this upload link with you: the video goes to their library. The link uploads one video.</p>
      {canChoose && (
        <label className="btn btn-primary">
          {item ? 'Choose the same file again' : 'Choose a video'}
          <input
            ref={inputRef}
            type="file"
            accept={`video/*,${VIDEO_EXTENSIONS.join(',')}`}
            aria-label="Choose a video"
            className="visually-hidden"
            onChange={(e) => choose(e.target.files)}
          />
        </label>
      )}
      {rejection && (
        <p className="alert alert-error" role="alert">
          {rejection}
        </p>
      )}
      {item && (
        <section
          className={`panel upload-item upload-${item.status}`}
          data-testid="link-upload"
          data-status={item.status}
          data-video-id={item.videoId ?? ''}
          data-parts-done={item.partsDone}
          data-part-count={item.partCount ?? ''}
        >
          <div className="row between wrap gap">
            <strong>{item.fileName}</strong>
            <span className="muted">{formatBytes(item.size)}</span>
          </div>
          <div className="bar" role="progressbar" aria-label="Upload progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <div className={`bar-fill bar-live ${item.status === 'error' ? 'bar-error' : ''}`} style={{ width: `${pct}%` }} />
          </div>
          <p data-testid="link-upload-status">
            {STATUS_TEXT[item.status]} · {pct}%
          </p>
          {item.error && (
            <p className="alert alert-error" role="alert">
              {item.error}
            </p>
          )}
          <div className="row gap">
            {isActiveUpload(item.status) && (
              <button type="button" className="btn" onClick={() => manager.pause(item.id)}>
                Pause
              </button>
            )}
            {(item.status === 'paused' || item.status === 'resumable' || item.status === 'error') && (
              <button type="button" className="btn btn-primary" onClick={() => void manager.resume(item.id)}>
                Resume
              </button>
            )}
          </div>
        </section>
      )}
    </div>
  );
}
