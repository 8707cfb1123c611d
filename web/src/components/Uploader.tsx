import { useRef, useState, type DragEvent } from 'react';
import { uploadManager, useUploads } from '../app/uploads';
import { useToast } from '../app/toasts';
import { formatBytes, formatEta, formatSpeed } from '../lib/format';
import {
  MAX_FILE_BYTES,
  VIDEO_EXTENSIONS,
  droppedFiles,
  isActiveUpload,
  pickFiles,
  supportsFileHandles,
  type AddFilesResult,
  type MaxQuality,
  type UploadItemState,
  type Visibility,
} from '../upload';
import { VisibilitySelect } from './VisibilitySelect';
import { MAX_QUALITIES, UPLOAD_STATUS_TEXT } from './uploadText';



/** Drag-and-drop + picker, one row per file. Renders the UploadManager state; owns none of it. */
export function Uploader({ quotaBytes }: { quotaBytes: number | null }) {
  const { items } = useUploads();
  const toast = useToast();
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [rejections, setRejections] = useState<string[]>([]);

  // Where the browser gives file handles, uploads resume after a restart without picking the file again.
  const withHandles = supportsFileHandles(window);

  const showResult = (result: AddFilesResult) => setRejections(result.rejected.map((r) => r.reason));

  const addFiles = (files: FileList | null) => {
    if (!files || files.length === 0) return;
    showResult(uploadManager.addFiles(files));
    if (inputRef.current) inputRef.current.value = ''; // picking the same file again must fire change
  };

  const choose = async () => {
    try {
      const picked = await pickFiles(VIDEO_EXTENSIONS, window);
      if (picked.length > 0) showResult(uploadManager.addPicked(picked));
    } catch (error) {
      // A picker the browser refuses (policy, embedding): the plain input still works, minus the handle.
      console.warn('file picker unavailable, using the file input', error);
      inputRef.current?.click();
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!withHandles) {
      addFiles(e.dataTransfer.files);
      return;
    }
    void droppedFiles(e.dataTransfer.items).then((picked) => {
      if (picked.length > 0) showResult(uploadManager.addPicked(picked));
    });
  };

  const staged = items.filter((i) => i.status === 'staged');

  return (
    <section className="panel uploader" aria-labelledby="uploader-title" data-testid="uploader">
      <h2 id="uploader-title">Upload videos</h2>
      <div
        className={`dropzone ${dragging ? 'dropzone-active' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="dropzone-title">Drop video files here</p>
        <p>or</p>
        <label
          className="btn btn-primary file-label"
          onClick={(e) => {
            if (!withHandles || e.target !== e.currentTarget) return;
            e.preventDefault();
            void choose();
          }}
        >
          Choose video files
          <input
            ref={inputRef}
            type="file"
            multiple
            accept={`video/*,${VIDEO_EXTENSIONS.join(',')}`}
            aria-label="Choose video files"
            className="visually-hidden"
            onChange={(e) => addFiles(e.target.files)}
          />
        </label>
        <p className="hint">
          Accepted: {VIDEO_EXTENSIONS.join(' ')} · up to {formatBytes(MAX_FILE_BYTES)} per file
          {quotaBytes !== null ? ` · ${formatBytes(quotaBytes)} storage per account` : ''}.{' '}
          {withHandles
            ? 'Uploads resume after a reload or a browser restart: press Resume (the browser may ask to read the file again).'
            : 'Uploads resume after a reload: pick the same file again.'}
        </p>
      </div>

      {rejections.length > 0 && (
        <ul className="alert alert-error" role="alert">
          {rejections.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}

      {items.length > 0 && (
        <ul className="upload-list" aria-label="Uploads">
          {items.map((item) => (
            <UploadRow key={item.id} item={item} onError={(m) => toast(m, 'error')} />
          ))}
        </ul>
      )}
      {staged.length > 1 && (
        <button type="button" className="btn btn-primary" onClick={() => uploadManager.startAll()}>
          Start all ({staged.length})
        </button>
      )}
    </section>
  );
}

function UploadRow({ item, onError }: { item: UploadItemState; onError: (message: string) => void }) {
  const pct = item.size > 0 ? Math.floor((item.bytesSent / item.size) * 100) : 0;
  const active = isActiveUpload(item.status);
  const canResume = item.status === 'paused' || item.status === 'error' || item.status === 'resumable';
  const titleId = `upload-${item.id}-name`;
  return (
    <li
      className={`upload-item upload-${item.status}`}
      data-testid="upload-item"
      data-status={item.status}
      data-video-id={item.videoId ?? ''}
      data-parts-done={item.partsDone}
      data-part-count={item.partCount ?? ''}
      data-progress={pct}
      aria-labelledby={titleId}
    >
      <div className="row between wrap gap">
        <strong id={titleId} className="upload-name">
          {item.fileName}
        </strong>
        <span className="muted">{formatBytes(item.size)}</span>
      </div>

      {item.status === 'staged' ? (
        <div className="row wrap gap">
          <label className="field grow">
            <span>Title</span>
            <input value={item.title} maxLength={200} onChange={(e) => uploadManager.update(item.id, { title: e.target.value })} />
          </label>
          <label className="field">
            <span>Max quality</span>
            <select
              value={item.maxQuality}
              aria-label={`Max quality for ${item.fileName}`}
              onChange={(e) => uploadManager.update(item.id, { maxQuality: Number(e.target.value) as MaxQuality })}
            >
              {MAX_QUALITIES.map((q) => (
                <option key={q} value={q}>
                  {q}p
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Visibility</span>
            <VisibilitySelect
              value={item.visibility}
              label={`Visibility of ${item.fileName}`}
              onChange={(visibility: Visibility) => uploadManager.update(item.id, { visibility })}
            />
          </label>
        </div>
      ) : (
        <>
          <div
            className="bar"
            role="progressbar"
            aria-label={`Upload progress of ${item.fileName}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
          >
            <div className={`bar-fill bar-live ${item.status === 'error' ? 'bar-error' : ''}`} style={{ width: `${pct}%` }} />
          </div>
          <div className="row between wrap gap small">
            <span data-testid="upload-status">
              {UPLOAD_STATUS_TEXT[item.status]} · {pct}%
            </span>
            {item.status === 'uploading' && (
              <span>
                {formatSpeed(item.bytesPerSecond)} · {formatEta(item.etaSeconds)} left
              </span>
            )}
            <span className="muted">
              {formatBytes(item.bytesSent)} / {formatBytes(item.size)} · {item.maxQuality}p · {item.visibility}
            </span>
          </div>
        </>
      )}

      {item.notice && <p className="notice">{item.notice}</p>}
      {item.error && (
        <p className="alert alert-error" role="alert">
          {item.error}
        </p>
      )}

      <div className="row gap wrap">
        {item.status === 'staged' && (
          <button type="button" className="btn btn-primary" onClick={() => uploadManager.start(item.id)}>
            Start upload
          </button>
        )}
        {active && (
          <button type="button" className="btn" aria-label="Pause" onClick={() => uploadManager.pause(item.id)}>
            Pause
          </button>
        )}
        {canResume && (
          <button type="button" className="btn btn-primary" aria-label="Resume" onClick={() => void uploadManager.resume(item.id)}>
            Resume
          </button>
        )}
        {item.status !== 'done' && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => uploadManager.cancel(item.id).catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)))}
          >
            {item.status === 'staged' ? 'Remove' : 'Cancel upload'}
          </button>
        )}
        {item.status === 'done' && (
          <button type="button" className="btn btn-ghost" onClick={() => uploadManager.dismiss(item.id)}>
            Dismiss
          </button>
        )}
      </div>
    </li>
  );
}
