import { useState, type FormEvent } from 'react';
import { captions as captionsApi, errorMessage, type CaptionTrack } from '../api';

/** Accepted by the server; WebVTT as is, SRT converted. */
const ACCEPT = '.vtt,.srt,text/vtt,application/x-subrip';

/**
 * The owner's caption tracks of a ready video: add or replace one language (a WebVTT or SRT file), remove one.
 * The server validates the file and answers with a readable problem, shown here as is.
 */
export function CaptionsPanel({ videoId, tracks, onChange }: { videoId: string; tracks: CaptionTrack[]; onChange: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [lang, setLang] = useState('en');
  const [label, setLabel] = useState('English');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      await captionsApi.put(videoId, lang.trim(), label.trim(), file);
      setFile(null);
      (e.target as HTMLFormElement).reset();
      onChange();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (track: CaptionTrack) => {
    setError(null);
    try {
      await captionsApi.remove(videoId, track.lang);
      onChange();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section className="panel captions-panel" data-testid="captions-panel" aria-labelledby="captions-heading">
      <h2 id="captions-heading">Captions</h2>
      {tracks.length === 0 ? (
        <p className="muted">No captions yet.</p>
      ) : (
        <ul className="caption-list">
          {tracks.map((t) => (
            <li key={t.lang} data-testid="caption-track" data-lang={t.lang}>
              <strong>{t.label}</strong> <span className="muted">({t.lang}, {t.cueCount} cues)</span>{' '}
              <button type="button" className="btn btn-small btn-ghost" onClick={() => void remove(t)} aria-label={`Remove ${t.label} captions`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="caption-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Caption file (WebVTT or SRT)</span>
          <input type="file" accept={ACCEPT} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label className="field">
          <span>Language tag</span>
          <input value={lang} onChange={(e) => setLang(e.target.value)} placeholder="en, de, pt-BR" maxLength={35} required />
        </label>
        <label className="field">
          <span>Label</span>
          <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="English" maxLength={100} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={!file || busy}>
          {busy ? 'Uploading…' : 'Add captions'}
        </button>
      </form>
      {error && (
        <p className="alert alert-error" role="alert" data-testid="captions-error">
          {error}
        </p>
      )}
    </section>
  );
}
