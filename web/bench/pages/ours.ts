// Our framework-free MsePlayer (web/src/player) on manifest.json, without the React app around it. Pinned with its
// fixedHeight option: the pinned rendition from the first segment, held as a viewer's manual choice.
import { MsePlayer } from '../../src/player/index';
import { runBench } from './player-shell';

await runBench(async ({ src, pin, video }) => {
  const player = new MsePlayer(video, pin ? { fixedHeight: pin } : {});
  player.events.on('error', (e) => console.error('ours error', e));
  await player.load(src);
  const state = player.getState();
  if (state.status === 'error') throw new Error(`ours: ${state.error}`);
  if (pin && !state.qualities.some((q) => q.height === pin)) {
    throw new Error(`ours: no ${pin}p rendition (${state.qualities.map((q) => q.height).join('/')})`);
  }
  await video.play();
  return {
    name: 'ours',
    version: 'MsePlayer (web/src/player)',
    reportedHeight: () => {
      const s = player.getState();
      return s.qualities.find((q) => q.id === s.currentQuality)?.height ?? null;
    },
  };
});
