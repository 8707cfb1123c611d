export interface MenuOption {
  value: string;
  label: string;
}

interface ControlMenuProps {
  /** The accessible name ("Quality", "Audio", "Captions"). */
  label: string;
  value: string;
  options: MenuOption[];
  onChange: (value: string) => void;
  disabled?: boolean;
  testId?: string;
  title?: string;
}

/** One of the player's menus (quality, audio, captions): a native select, so keyboards and screen readers work as is. */
export function ControlMenu({ label, value, options, onChange, disabled, testId, title }: ControlMenuProps) {
  return (
    <select aria-label={label} className="quality" data-testid={testId} value={value} title={title} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
