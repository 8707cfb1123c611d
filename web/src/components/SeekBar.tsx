import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { ThumbnailCue } from '../player';
import { formatTime } from '../lib/format';

interface SeekBarProps {
  currentTime: number;
  duration: number;
  buffered: readonly (readonly [number, number])[];
  /** While the video still processes: seconds published so far (seeks stop there); null once complete. */
  available?: number | null;
  onSeek: (t: number) => void;
  thumbnailAt: (t: number) => ThumbnailCue | null;
}

/**
 * The seek bar: played part, buffered ranges, how far a still-processing video is published, and a thumbnail
 * preview while hovering or dragging.
 * A div with role="slider" rather than <input type=range> so buffered ranges and the preview can
 * be drawn inside it; the ARIA slider pattern gives it the same keyboard behaviour.
 */
export function SeekBar({ currentTime, duration, buffered, available = null, onSeek, thumbnailAt }: SeekBarProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ t: number; x: number; width: number } | null>(null);
  const [dragTime, setDragTime] = useState<number | null>(null);
  // The pointer handlers read the drag state from a ref: pointerdown and pointerup can arrive
  // before React re-renders, and a handler closed over the old state would drop the seek.
  const dragging = useRef(false);

  const timeAt = (clientX: number) => {
    const rect = ref.current?.getBoundingClientRect();
    if (!rect || rect.width === 0 || duration <= 0) return { t: 0, x: 0, width: 0 };
    const x = Math.min(Math.max(clientX - rect.left, 0), rect.width);
    return { t: (x / rect.width) * duration, x, width: rect.width };
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    dragging.current = true;
    const pos = timeAt(e.clientX);
    setDragTime(pos.t);
    setHover(pos);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const pos = timeAt(e.clientX);
    setHover(pos);
    if (dragging.current) setDragTime(pos.t);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging.current) return;
    dragging.current = false;
    const { t } = timeAt(e.clientX);
    setDragTime(null);
    onSeek(t);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 15 : 5;
    const to: Record<string, number> = {
      ArrowLeft: currentTime - step,
      ArrowDown: currentTime - step,
      ArrowRight: currentTime + step,
      ArrowUp: currentTime + step,
      PageDown: currentTime - 30,
      PageUp: currentTime + 30,
      Home: 0,
      End: available ?? duration,
    };
    const target = to[e.key];
    if (target === undefined) return;
    e.preventDefault();
    e.stopPropagation(); // the player's own arrow shortcuts must not seek twice
    onSeek(Math.min(Math.max(target, 0), available ?? duration));
  };

  const shown = dragTime ?? currentTime;
  const pct = (t: number) => (duration > 0 ? `${Math.min(100, (t / duration) * 100)}%` : '0%');
  const preview = hover ? thumbnailAt(hover.t) : null;
  const previewWidth = preview?.w ?? 0;
  const previewLeft = hover ? Math.min(Math.max(hover.x - previewWidth / 2, 0), Math.max(0, hover.width - previewWidth)) : 0;

  return (
    <div
      ref={ref}
      className="seekbar"
      data-testid="seekbar"
      role="slider"
      tabIndex={0}
      aria-label="Seek"
      aria-valuemin={0}
      aria-valuemax={Math.round(duration)}
      aria-valuenow={Math.round(shown)}
      aria-valuetext={`${formatTime(shown)} of ${formatTime(duration)}${available != null ? `, ${formatTime(available)} available so far` : ''}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        dragging.current = false;
        setDragTime(null);
      }}
      onPointerLeave={() => !dragging.current && setHover(null)}
      onKeyDown={onKeyDown}
    >
      <div className="seek-track">
        {available != null && (
          <div className="seek-available" data-testid="seek-available" data-available={available.toFixed(3)} style={{ width: pct(available) }} />
        )}
        {buffered.map(([s, e]) => (
          <div key={`${s}-${e}`} className="seek-buffered" style={{ left: pct(s), width: `calc(${pct(e)} - ${pct(s)})` }} />
        ))}
        <div className="seek-played" style={{ width: pct(shown) }} />
        <div className="seek-thumb" style={{ left: pct(shown) }} />
      </div>
      {hover && (
        <div className="seek-preview" style={{ left: previewLeft }} aria-hidden="true">
          {preview && (
            <div
              className="thumb-preview"
              data-testid="thumb-preview"
              style={{
                width: preview.w,
                height: preview.h,
                backgroundImage: `url("${preview.url}")`,
                backgroundPosition: `-${preview.x}px -${preview.y}px`,
              }}
            />
          )}
          <span className="seek-preview-time">{formatTime(hover.t)}</span>
        </div>
      )}
    </div>
  );
}
