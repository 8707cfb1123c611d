// Test clips made with FFmpeg on the spot (nothing binary in the repository).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ClipOptions {
  seconds: number;
  size: string; // WxH
  /** Constant video bitrate, which sets the file size (noise keeps x264 from undershooting it). */
  bitrate: string;
}

/** Writes a clip under a unique name (the uploader's resume key includes the name) and returns its path. */
export function makeClip(name: string, { seconds, size, bitrate }: ClipOptions): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-e2e-'));
  const file = path.join(dir, `${name}-${Date.now()}.mp4`);
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`, '-f', 'lavfi', '-i', 'sine=frequency=440',
    '-t', String(seconds), '-vf', 'noise=alls=30:allf=t', '-c:v', 'libx264', '-preset', 'ultrafast',
    '-b:v', bitrate, '-minrate', bitrate, '-maxrate', bitrate, '-bufsize', '8M', '-c:a', 'aac', '-shortest', file,
  ]);
  return file;
}

export function removeClip(file: string): void {
  if (process.env.E2E_KEEP) return;
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

export const sha256 = (buf: Buffer): string => crypto.createHash('sha256').update(buf).digest('hex');

/** The raw upload as stored: the local S3 server serves objects without signatures. */
export async function storedSource(s3: { endpoint: string; bucket: string }, videoId: string): Promise<Buffer> {
  const url = `${s3.endpoint}/${s3.bucket}/raw/${videoId}/source`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}
