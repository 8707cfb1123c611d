import type { Visibility } from '../api';
import { VISIBILITY_CHOICES } from '../lib/sharing';

/** The one visibility select of the upload form, the import form and the watch page. */
export function VisibilitySelect({
  value,
  onChange,
  label,
  disabled = false,
  testId,
}: {
  value: Visibility;
  onChange: (value: Visibility) => void;
  /** The accessible name (a row of the uploader names its file). */
  label: string;
  disabled?: boolean;
  testId?: string;
}) {
  return (
    <select value={value} aria-label={label} disabled={disabled} data-testid={testId} onChange={(e) => onChange(e.target.value as Visibility)}>
      {VISIBILITY_CHOICES.map((c) => (
        <option key={c.value} value={c.value} title={c.hint}>
          {c.label}
        </option>
      ))}
    </select>
  );
}
