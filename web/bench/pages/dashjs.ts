// dash.js (npm) on the worker's MPD. Default settings, except when pinned: automatic switching off and the
// initial bitrate at the pinned rung's (dash.js starts at the highest rung at or below it).
import { MediaPlayer } from 'dashjs';
import { runBench } from './player-shell';

await runBench(async ({ src, pin, pinBps, video }) => {
  const player = MediaPlayer().create();
  (window as unknown as { __dashjs: unknown }).__dashjs = player;
  if (pin) {
    if (!pinBps) throw new Error('dash.js: pinning needs ?pinBps=');
    // +1 kbps: the MPD's bandwidth equals manifest.json's; the margin keeps a rounding from picking the rung below
    player.updateSettings({ streaming: { abr: { autoSwitchBitrate: { video: false }, initialBitrate: { video: Math.floor(pinBps / 1000) + 1 } } } });
  }
  player.on(MediaPlayer.events.ERROR, (e: unknown) => console.error('dash.js error', JSON.stringify(e)));
  player.initialize(video, src, true);
  return {
    name: 'dashjs',
    version: player.getVersion(),
    reportedHeight: () => player.getCurrentRepresentationForType('video')?.height ?? null,
  };
});
