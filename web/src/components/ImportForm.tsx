import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage, imports, type MaxQuality, type Visibility } from '../api';
import { queryKeys } from '../app/queryKeys';
import { useToast } from '../app/toasts';
import { MAX_QUALITIES } from './uploadText';
import { VisibilitySelect } from './VisibilitySelect';


/**
 * "Import from URL": the server fetches the file (no bytes pass through the browser). The new video shows in the
 * library at once as uploading, with progress and a readable error kept live by the event stream like any other.
 */
export function ImportForm() {
  const client = useQueryClient();
  const toast = useToast();
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const [maxQuality, setMaxQuality] = useState<MaxQuality>(1080);
  const [visibility, setVisibility] = useState<Visibility>('unlisted');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const video = await imports.fromUrl({ url: url.trim(), title: title.trim() || undefined, maxQuality, visibility });
      setUrl('');
      setTitle('');
      toast(`Importing "${video.title}": it shows in your library while the server fetches it.`, 'success');
      await Promise.all([client.invalidateQueries({ queryKey: queryKeys.videoLists }), client.invalidateQueries({ queryKey: queryKeys.me })]);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel import-form" aria-labelledby="import-title" data-testid="import-form">
      <h2 id="import-title">Import from URL</h2>
      <form onSubmit={(e) => void submit(e)} className="import-fields">
        <div className="row wrap gap">
          <label className="field grow">
            <span>Video URL (http or https)</span>
            <input
              type="url"
              required
              maxLength={2048}
              placeholder="https://example.com/clip.mp4"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          </label>
          <label className="field grow">
            <span>Title (optional)</span>
            <input value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
          </label>
          <label className="field">
            <span>Max quality</span>
            <select value={maxQuality} aria-label="Max quality of the import" onChange={(e) => setMaxQuality(Number(e.target.value) as MaxQuality)}>
              {MAX_QUALITIES.map((q) => (
                <option key={q} value={q}>
                  {q}p
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Visibility</span>
            <VisibilitySelect value={visibility} label="Visibility for the import" onChange={setVisibility} />
          </label>
        </div>
        <div className="row gap wrap">
          <button type="submit" className="btn btn-primary" disabled={busy || url.trim().length === 0}>
            {busy ? 'Starting…' : 'Import'}
          </button>
          <span className="muted small">The file counts against your quota as it arrives; it is processed like an upload.</span>
        </div>
        {error && (
          <p className="alert alert-error" role="alert">
            Could not import: {error}
          </p>
        )}
      </form>
    </section>
  );
}
