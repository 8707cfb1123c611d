// hls.js (npm) on the worker's master.m3u8 (the same segments as the MPD and manifest.json). Default config but
// for the setting every page of the API's origin needs (HLS_JS_BASE_CONFIG: no blob: worker) and, when pinned, the
// pinned level as its start level and its manual level (automatic switching off), set when the master playlist is
// parsed, before any media is loaded.
import Hls from 'hls.js';
import { HLS_JS_BASE_CONFIG } from '../../e2e/lib/hlsConfig';
import { runBench } from './player-shell';

await runBench(async ({ src, pin, video }) => {
  const hls = new Hls({ ...HLS_JS_BASE_CONFIG });
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
