// Produces the playback layout of design §4a from a source file with FFmpeg: DASH fMP4 renditions
// (one decode, split + scale per rung, keyframes forced every 4 s), demuxed audio, a thumbnail
// sprite + VTT, a poster and manifest.json built from the MPD's SegmentTimeline.
// Used by the mock stack only (the real worker lives in worker/); it lets the MSE player be
// exercised in Chromium against real FFmpeg output.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const LADDER = [
  { height: 360, bitrate: 600_000 },
  { height: 480, bitrate: 1_000_000 },
  { height: 720, bitrate: 2_500_000 },
  { height: 1080, bitrate: 5_000_000 },
];

async function probe(src) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,width,height', '-of', 'json', src]);
  const info = JSON.parse(stdout);
  const video = info.streams.find((s) => s.codec_type === 'video');
  if (!video) throw new Error('no video stream');
  return { duration: Number(info.format.duration), width: video.width, height: video.height, hasAudio: info.streams.some((s) => s.codec_type === 'audio') };
}

function attr(tag, name) {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** Segment list of one Representation block from its SegmentTimeline. */
function timeline(block, id) {
  const tmpl = /<SegmentTemplate[^>]*>/.exec(block)?.[0] ?? '';
  const timescale = Number(attr(tmpl, 'timescale'));
  const media = attr(tmpl, 'media');
  const init = attr(tmpl, 'initialization').replace('$RepresentationID$', id);
  let number = Number(attr(tmpl, 'startNumber') ?? 1);
  let t = 0;
  const segments = [];
  for (const s of block.matchAll(/<S\s[^>]*\/>/g)) {
    const tag = s[0];
    if (attr(tag, 't') !== undefined) t = Number(attr(tag, 't'));
    const d = Number(attr(tag, 'd'));
    const r = Number(attr(tag, 'r') ?? 0);
    for (let i = 0; i <= r; i++) {
      const url = media.replace('$RepresentationID$', id).replace('$Number%05d$', String(number).padStart(5, '0'));
      segments.push({ url, start: t / timescale, duration: d / timescale });
      t += d;
      number++;
    }
  }
  return { init, segments };
}

export async function makeMedia(src, outDir, { maxQuality = 1080, preset = 'ultrafast', onProgress = () => {} } = {}) {
  await fs.mkdir(outDir, { recursive: true });
  const info = await probe(src);
  const short = Math.min(info.width, info.height);
  let rungs = LADDER.filter((r) => r.height <= Math.min(short, maxQuality));
  if (rungs.length === 0) rungs = [LADDER[0]];
  const landscape = info.width >= info.height;
  const filter = `[0:v]split=${rungs.length}${rungs.map((_, i) => `[v${i}]`).join('')};` +
    rungs.map((r, i) => `[v${i}]scale=${landscape ? `-2:${r.height}` : `${r.height}:-2`}[o${i}]`).join(';');
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-i', src, '-filter_complex', filter];
  rungs.forEach((_, i) => args.push('-map', `[o${i}]`));
  if (info.hasAudio) args.push('-map', '0:a:0');
  args.push('-c:v', 'libx264', '-preset', preset, '-pix_fmt', 'yuv420p');
  rungs.forEach((r, i) => args.push(`-b:v:${i}`, String(r.bitrate)));
  args.push('-force_key_frames', 'expr:gte(t,n_forced*4)', '-sc_threshold', '0');
  if (info.hasAudio) args.push('-c:a', 'aac', '-ac', '2', '-b:a', '128k');
  args.push('-progress', 'pipe:1', '-f', 'dash', '-seg_duration', '4', '-use_template', '1', '-use_timeline', '1',
    '-init_seg_name', 'init_$RepresentationID$.mp4', '-media_seg_name', 'seg_$RepresentationID$_$Number%05d$.m4s',
    '-adaptation_sets', info.hasAudio ? 'id=0,streams=v id=1,streams=a' : 'id=0,streams=v', path.join(outDir, 'manifest.mpd'));
  await new Promise((resolve, reject) => {
    const child = execFile('ffmpeg', args, { maxBuffer: 64 << 20 }, (err) => (err ? reject(err) : resolve()));
    child.stdout.on('data', (chunk) => {
      const m = /out_time_us=(\d+)/.exec(String(chunk));
      if (m) onProgress(Math.min(99, (Number(m[1]) / 1e6 / info.duration) * 100));
    });
  });

  // Thumbnails: one tile every 4 s, 10×10 per sprite (enough for the short clips the mock sees).
  const interval = 4;
  const count = Math.max(1, Math.ceil(info.duration / interval));
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', src, '-vf', `fps=1/${interval},scale=160:90,tile=10x10`, '-frames:v', '1', path.join(outDir, 'sprite_001.jpg')]);
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-ss', String(Math.min(1, info.duration / 2)), '-i', src, '-frames:v', '1', '-vf', 'scale=-2:360', path.join(outDir, 'poster.jpg')]);
  const ts = (s) => new Date(s * 1000).toISOString().slice(11, 23);
  let vtt = 'WEBVTT\n\n';
  for (let i = 0; i < count; i++) {
    vtt += `${ts(i * interval)} --> ${ts(Math.min((i + 1) * interval, info.duration))}\nsprite_001.jpg#xywh=${(i % 10) * 160},${Math.floor(i / 10) * 90},160,90\n\n`;
  }
  await fs.writeFile(path.join(outDir, 'thumbs.vtt'), vtt);

  const mpd = await fs.readFile(path.join(outDir, 'manifest.mpd'), 'utf8');
  const sets = [...mpd.matchAll(/<AdaptationSet[^>]*contentType="(video|audio)"[^>]*>([\s\S]*?)<\/AdaptationSet>/g)];
  const video = [];
  let audio = null;
  for (const [, type, body] of sets) {
    for (const m of body.matchAll(/<Representation([^>]*)>([\s\S]*?)<\/Representation>/g)) {
      const head = m[1];
      const id = attr(head, 'id');
      const { init, segments } = timeline(m[2], id);
      const rep = { mimeType: attr(head, 'mimeType'), codecs: attr(head, 'codecs'), bandwidth: Number(attr(head, 'bandwidth')), init, segments };
      if (type === 'video') {
        const height = Number(attr(head, 'height'));
        video.push({ id: `${height}p`, width: Number(attr(head, 'width')), height, ...rep });
      } else audio = rep;
    }
  }
  const manifest = {
    version: 1,
    videoId: path.basename(outDir),
    duration: info.duration,
    video,
    audio,
    thumbnails: { vtt: 'thumbs.vtt', interval, tileWidth: 160, tileHeight: 90, sprites: [{ url: 'sprite_001.jpg', columns: 10, rows: 10 }] },
    mpd: 'manifest.mpd',
  };
  await fs.writeFile(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { manifest, info };
}
