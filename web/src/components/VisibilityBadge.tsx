import { LockIcon } from './Icons';
import { isVisibility, VISIBILITY_CHOICES } from '../lib/sharing';

/** "Public" / "Unlisted" / "Private" on a card or a watch page; nothing for an answer that does not say. */
export function VisibilityBadge({ visibility }: { visibility: unknown }) {
  if (!isVisibility(visibility)) return null;
  const choice = VISIBILITY_CHOICES.find((c) => c.value === visibility);
  return (
    <span className={`badge badge-vis badge-vis-${visibility}`} data-testid="visibility-badge" data-visibility={visibility} title={choice?.hint}>
      {visibility === 'private' && <LockIcon size={11} />}
      {choice?.label ?? visibility}
    </span>
  );
}
