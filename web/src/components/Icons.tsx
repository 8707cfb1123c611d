/** Inline SVG icons: no icon font or emoji (which headless or minimal systems render as boxes). */
const common = { width: 20, height: 20, viewBox: '0 0 24 24', 'aria-hidden': true, focusable: false } as const;

export const PlayIcon = () => (
  <svg {...common}>
    <path d="M6 4l14 8-14 8z" fill="currentColor" />
  </svg>
);
export const PauseIcon = () => (
  <svg {...common}>
    <path d="M5 4h5v16H5zM14 4h5v16h-5z" fill="currentColor" />
  </svg>
);
export const VolumeIcon = ({ muted }: { muted: boolean }) => (
  <svg {...common}>
    <path d="M3 9h4l5-5v16l-5-5H3z" fill="currentColor" />
    {muted ? (
      <path d="M16 9l5 6M21 9l-5 6" stroke="currentColor" strokeWidth={2.5} fill="none" />
    ) : (
      <path d="M15.5 8.5a5 5 0 010 7M18 6a8.5 8.5 0 010 12" stroke="currentColor" strokeWidth={2.5} fill="none" />
    )}
  </svg>
);
export const FullscreenIcon = ({ exit }: { exit: boolean }) => (
  <svg {...common}>
    {exit ? (
      <path d="M9 3v6H3M15 3v6h6M9 21v-6H3M15 21v-6h6" stroke="currentColor" strokeWidth={2.5} fill="none" />
    ) : (
      <path d="M3 9V3h6M21 9V3h-6M3 15v6h6M21 15v6h-6" stroke="currentColor" strokeWidth={2.5} fill="none" />
    )}
  </svg>
);
export const LockIcon = ({ size = 20 }: { size?: number }) => (
  <svg {...common} width={size} height={size}>
    <path d="M7 10V7a5 5 0 0110 0v3" stroke="currentColor" strokeWidth={2.5} fill="none" />
    <path d="M4 10h16v11H4z" fill="currentColor" />
  </svg>
);
