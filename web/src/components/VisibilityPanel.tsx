import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage, videos, type Video, type Visibility } from '../api';
import { putVideo } from '../app/liveVideoSync';
import { queryKeys } from '../app/queryKeys';
import { VISIBILITY_CHOICES } from '../lib/sharing';
import { VisibilitySelect } from './VisibilitySelect';

/**
 * The owner's visibility switch on the watch page: saved as soon as it changes. `moving`: the media is still on its
 * way to its new place (the player switches over when it lands).
 */
export function VisibilityPanel({ video, moving = false }: { video: Video; moving?: boolean }) {
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const change = useMutation({
    mutationFn: (visibility: Visibility) => videos.setVisibility(video.id, visibility),
    onSuccess: (updated) => {
      setError(null);
      setSaved(true);
      putVideo(client, updated);
      // The viewer's view signs its URLs for the new place of the media.
      void client.invalidateQueries({ queryKey: queryKeys.watchOf(video.id) });
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const current = change.isPending && change.variables ? change.variables : video.visibility;
  const hint = VISIBILITY_CHOICES.find((c) => c.value === current)?.hint;

  return (
    <section className="panel" aria-labelledby="visibility-title" data-testid="visibility-panel">
      <h2 id="visibility-title">Visibility</h2>
      <div className="row gap wrap">
        <label className="field inline">
          <span>Who can watch</span>
          <VisibilitySelect
            value={current ?? 'unlisted'}
            label="Visibility"
            testId="visibility-select"
            disabled={change.isPending}
            onChange={(v) => {
              setSaved(false);
              change.mutate(v);
            }}
          />
        </label>
        <span className="muted small">{hint}</span>
      </div>
      <p className="muted small">
        Switching between private and the others moves the media to another place in storage; the change takes effect within a minute, and
        players already open may play on until then.
      </p>
      {moving && (
        <p className="small" role="status" data-testid="visibility-moving">
          Moving the media to its new place…
        </p>
      )}
      {saved && !change.isPending && (
        <p className="small" role="status" data-testid="visibility-saved">
          Saved.
        </p>
      )}
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
