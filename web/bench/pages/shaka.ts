// Shaka Player (npm) on the MPD the worker writes next to manifest.json: the same files our player reads,
// in the same browser, served from the same CDN. ?mpd=<url>. Default configuration: what a site dropping
// Shaka in would get.
import shaka from 'shaka-player/dist/shaka-player.compiled.js';

const mpd = new URL(location.href).searchParams.get('mpd');
const video = document.getElementById('video') as HTMLVideoElement;
shaka.polyfill.installAll();
const player = new shaka.Player();
(window as unknown as { __shaka: unknown }).__shaka = player;
player.addEventListener('error', (e: Event) => console.error('shaka error', (e as Event & { detail?: unknown }).detail));
await player.attach(video);
await player.load(mpd);
await video.play();
