// Shaka Player (npm) on the MPD the worker writes next to manifest.json: the same segments our player reads.
// Default configuration, except when pinned: ABR off and restrictions that leave only the pinned height, so it
// starts there without first loading another variant.
import shaka from 'shaka-player/dist/shaka-player.compiled.js';
import { runBench } from './player-shell';

await runBench(async ({ src, pin, video }) => {
  shaka.polyfill.installAll();
  const player = new shaka.Player();
  (window as unknown as { __shaka: unknown }).__shaka = player;
  player.addEventListener('error', (e: Event) => console.error('shaka error', JSON.stringify((e as Event & { detail?: unknown }).detail)));
  if (pin) player.configure({ abr: { enabled: false }, restrictions: { minHeight: pin, maxHeight: pin } });
  await player.attach(video);
  await player.load(src);
  await video.play();
  return {
    name: 'shaka',
    version: shaka.Player.version,
    reportedHeight: () => player.getVariantTracks().find((t: { active: boolean }) => t.active)?.height ?? null,
  };
});
