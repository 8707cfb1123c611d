// Our framework-free MsePlayer (web/src/player, unchanged) on manifest.json, without the React app around it.
// Pinned: its startup rung comes from the pixelHeight option (the app passes the element's height × DPR), and
// its manual quality is set once load() resolves. The public setQuality() also flushes what is buffered ahead
// (the quality menu wants the new choice on screen at once), which would throw away the pinned rung's first
// segment in flight; the field it sets is set directly instead, so the choice holds without that flush.
import { MsePlayer } from '../../src/player/index';
import { runBench } from './player-shell';

await runBench(async ({ src, pin, video }) => {
  const player = new MsePlayer(video, pin ? { pixelHeight: () => pin } : {});
  player.events.on('error', (e) => console.error('ours error', e));
  await player.load(src);
  const state = player.getState();
  if (state.status === 'error') throw new Error(`ours: ${state.error}`);
  if (pin) {
    const rung = state.qualities.find((q) => q.height === pin);
    if (!rung) throw new Error(`ours: no ${pin}p rendition (${state.qualities.map((q) => q.height).join('/')})`);
    (player as unknown as { qualityMode: string }).qualityMode = rung.id;
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
