// hls.js must reach 'ended' whatever the lengths of a source's audio and video. The clip (an 8 s 640x480
// 25 fps MPEG-4 Part 2 + MP3 AVI) stalled at 8.006 s of 8.046 s with 'waiting' and no 'ended': hls.js ignores the
// edit lists of fMP4 init segments, so a final segment shorter than the shift an edit list hides lay wholly past
// what the browser had buffered; hls.js took it for a gap and never ended the stream. The shift is two B-frames of
// video (x264's veryfast; now written without an edit list, see FfmpegCommandBuilder and its .NET test, since this
// stack encodes with ultrafast, which has no B-frames) and 1024 samples of AAC priming (every preset). Both sources
// here end their audio in a sliver of a segment shorter than that priming: once with the audio outlasting the video,
// once with the video outlasting the audio.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { stackInfo } from './lib/env';
import { HLS_JS_BASE_CONFIG, openPlayerPage } from './lib/thirdPartyPlayers';
import { PASSWORD, uniqueEmail, until } from './lib/ui';

const info = stackInfo();
test.use({ baseURL: info.apiUrl });

interface Track { segments: { start: number; duration: number }[] }
const end = (t: Track) => t.segments.at(-1)!.start + t.segments.at(-1)!.duration;

/** An AVI as a camera or an old editor writes it: MPEG-4 Part 2 video and MP3 audio, of the given lengths. */
function makeAvi(videoSeconds: number, audioSeconds: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-e2e-'));
  const file = path.join(dir, `eos-${Date.now()}.avi`);
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=640x480:rate=25:duration=${videoSeconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${audioSeconds}`,
    '-c:v', 'mpeg4', '-q:v', '5', '-c:a', 'libmp3lame', '-b:a', '128k', file,
  ]);
  return file;
}

/** Uploads the file through the API (one presigned PUT), waits until it is ready and returns its manifest URL. */
async function readyManifest(request: APIRequestContext, file: string): Promise<string> {
  const registered = await request.post('/api/v1/auth/register', { data: { email: uniqueEmail('eos'), password: PASSWORD } });
  expect(registered.status()).toBe(201);
  const headers = { authorization: `Bearer ${(await registered.json()).accessToken}` };
  const bytes = fs.readFileSync(file);
  const created = await request.post('/api/v1/uploads', { headers, data: { fileName: 'clip.avi', size: bytes.length, contentType: 'video/x-msvideo', title: 'EOS' } });
  expect(created.status()).toBe(201);
  const upload = await created.json();
  expect(upload.mode).toBe('single');
  expect((await request.put(upload.url, { data: bytes, headers: { 'content-type': 'video/x-msvideo' } })).ok()).toBe(true);
  expect((await request.post(`/api/v1/uploads/${upload.videoId}/complete`, { headers })).status()).toBe(202);
  const video = await until('the video to be ready', async () => {
    const v = await (await request.get(`/api/v1/videos/${upload.videoId}`, { headers })).json();
    if (v.status === 'failed') throw new Error(`processing failed: ${v.lastError}`);
    return v.status === 'ready' ? v : null;
  }, 120_000, 250);
  return video.manifestUrl;
}

// Lengths chosen so that ffmpeg (ultrafast, as this stack runs it) cuts a final audio segment of about 20 ms.
const cases = [
  { name: 'audio longer than video', video: 7.96, audio: 7.97, audioLonger: true },
  { name: 'video longer than audio', video: 8.2, audio: 7.97, audioLonger: false },
];

for (const c of cases) {
  test(`hls.js fires 'ended' when ${c.name}`, async ({ page, request }) => {
    const file = makeAvi(c.video, c.audio);
    let manifestUrl: string;
    try {
      manifestUrl = await readyManifest(request, file);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    const manifest = await (await request.get(manifestUrl)).json();
    const videoEnd = end(manifest.video[0]);
    const audioEnd = end(manifest.audio);
    // The source has the shape this case is about: the longer track as named, and a final audio segment shorter
    // than two AAC frames (the sliver hls.js could not place).
    expect(audioEnd > videoEnd).toBe(c.audioLonger);
    expect(manifest.audio.segments.at(-1).duration).toBeLessThan(2048 / 48000);

    await openPlayerPage(page, 'hlsjs');
    const result = await page.evaluate(async ({ url, config }) => {
      type HlsCtor = { new (c: object): { loadSource(u: string): void; attachMedia(v: HTMLVideoElement): void; on(e: string, f: (e: string, d: { fatal: boolean; details: string }) => void): void }; isSupported(): boolean; Events: Record<string, string> };
      const Hls = (window as unknown as { Hls: HlsCtor }).Hls;
      const video = document.createElement('video');
      video.muted = true;
      document.body.append(video);
      const hls = new Hls({ ...config, startPosition: 0 });
      const errors: string[] = [];
      hls.on(Hls.Events.ERROR, (_e, d) => { if (d.fatal) errors.push(d.details); });
      hls.loadSource(url);
      hls.attachMedia(video);
      const ranges = () => Array.from({ length: video.buffered.length }, (_, i) => `${video.buffered.start(i).toFixed(3)}-${video.buffered.end(i).toFixed(3)}`).join(',');
      await new Promise((resolve) => video.addEventListener('loadedmetadata', resolve, { once: true }));
      await video.play();
      // The clip lasts about 8 s: 'ended' well within 25 s, or the playhead is stuck before the end.
      const ended = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 25_000);
        video.addEventListener('ended', () => { clearTimeout(timer); resolve(true); }, { once: true });
      });
      return { ended, currentTime: video.currentTime, duration: video.duration, buffered: ranges(), errors };
    }, { url: new URL(manifest.hls, manifestUrl).href, config: HLS_JS_BASE_CONFIG });

    expect(result.errors).toEqual([]);
    expect(result, `stuck at ${result.currentTime} of ${result.duration}, buffered ${result.buffered}`).toMatchObject({ ended: true });
    expect(result.currentTime).toBeCloseTo(result.duration, 1);
    expect(result.duration).toBeGreaterThan(7.8);
  });
}
