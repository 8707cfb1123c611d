// hls.js (npm) on the worker's master.m3u8 (the same segments as the MPD and manifest.json). Default config,
// except when pinned: the pinned level is its start level and its manual level (automatic switching off), set
// when the master playlist is parsed, before any media is loaded.
import Hls from 'hls.js';
import { runBench } from './player-shell';

await runBench(async ({ src, pin, video }) => {
  const hls = new Hls();
  (window as unknown as { __hls: unknown }).__hls = hls;
  hls.on(Hls.Events.ERROR, (_e, d) => { if (d.fatal) console.error('hls.js error', d.details); });
  const parsed = new Promise<void>((resolve, reject) => {
    hls.once(Hls.Events.MANIFEST_PARSED, () => {
      if (pin) {
        const level = hls.levels.findIndex((l) => l.height === pin);
        if (level < 0) { reject(new Error(`hls.js: no ${pin}p level (${hls.levels.map((l) => l.height).join('/')})`)); return; }
        hls.startLevel = level;
        hls.loadLevel = level;
      }
      resolve();
    });
  });
  hls.loadSource(src);
  hls.attachMedia(video);
  await parsed;
  await video.play();
  return {
    name: 'hlsjs',
    version: Hls.version,
    reportedHeight: () => hls.levels[hls.currentLevel]?.height ?? null,
  };
});
