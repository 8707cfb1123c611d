/** Test doubles for the player (used by *.test.ts only). */
import type { SourceBufferLike } from './appendQueue';
import type { Range } from './bufferMath';
import type { Manifest } from './manifest';
import { parseManifest } from './manifest';

/**
 * A SourceBuffer that enforces the MSE rules the real one does: appendBuffer/remove while
 * updating throws InvalidStateError; each update ends with `updateend` on a later task.
 */
export class FakeSourceBuffer extends EventTarget implements SourceBufferLike {
  updating = false;
  ranges: [number, number][] = [];
  appended: ArrayBuffer[] = [];
  removed: Range[] = [];
  log: string[] = [];
  /** Throw QuotaExceededError for the next N appends. */
  quotaFailures = 0;
  /** Time range each appended payload covers, looked up by its first byte. */
  coverage = new Map<number, Range>();
  autoComplete = true;
  private pendingFinish: (() => void) | null = null;

  get buffered() {
    const r = [...this.ranges].sort((a, b) => a[0] - b[0]);
    return { length: r.length, start: (i: number) => r[i]?.[0] ?? 0, end: (i: number) => r[i]?.[1] ?? 0 };
  }

  appendBuffer(data: BufferSource): void {
    if (this.updating) throw new DOMException('updating', 'InvalidStateError');
    if (this.quotaFailures > 0) {
      this.quotaFailures--;
      throw new DOMException('full', 'QuotaExceededError');
    }
    const buffer = data instanceof ArrayBuffer ? data : (data.buffer as ArrayBuffer);
    this.appended.push(buffer);
    this.log.push(`append:${new Uint8Array(buffer)[0]}`);
    const cover = this.coverage.get(new Uint8Array(buffer)[0] ?? -1);
    this.begin(() => {
      if (cover) this.addRange(cover);
    });
  }

  remove(start: number, end: number): void {
    if (this.updating) throw new DOMException('updating', 'InvalidStateError');
    this.removed.push([start, end]);
    this.log.push(`remove:${start}-${end}`);
    this.begin(() => {
      this.ranges = this.ranges.flatMap(([s, e]): [number, number][] => {
        if (e <= start || s >= end) return [[s, e]];
        const out: [number, number][] = [];
        if (s < start) out.push([s, start]);
        if (e > end) out.push([end, e]);
        return out;
      });
    });
  }

  abort(): void {}

  changeType(type: string): void {
    this.log.push(`changeType:${type}`);
  }

  finish(): void {
    const f = this.pendingFinish;
    this.pendingFinish = null;
    f?.();
  }

  private begin(apply: () => void): void {
    this.updating = true;
    this.pendingFinish = () => {
      apply();
      this.updating = false;
      this.dispatchEvent(new Event('updateend'));
    };
    if (this.autoComplete) setTimeout(() => this.finish(), 0);
  }

  private addRange([s, e]: Range): void {
    const all = [...this.ranges, [s, e] as [number, number]].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const r of all) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1] + 0.001) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    this.ranges = merged;
  }
}

/**
 * The raw manifest.json of a sample video: `count` segments of 4.004 s per rung, plus audio of slightly
 * different lengths, one track per language of `audioLangs` (the first the default, also written as `audio`).
 * Shaped like the worker's (manifest.golden.test.ts compares the two shapes).
 */
export function sampleManifestJson(count = 5, withAudio = true, audioLangs: string[] = ['und']) {
  const seg = (prefix: string, d: number) =>
    Array.from({ length: count }, (_, i) => ({ url: `${prefix}/seg_${String(i + 1).padStart(5, '0')}.m4s`, start: i * d, duration: d }));
  const rung = (h: number, w: number, bw: number) => ({
    id: `${h}p`, width: w, height: h, bandwidth: bw, codecs: 'avc1.64001f', mimeType: 'video/mp4',
    init: `video/${h}p/init.mp4`, segments: seg(`video/${h}p`, 4.004),
  });
  const audioRep = (folder: string) => ({ codecs: 'mp4a.40.2', mimeType: 'audio/mp4', bandwidth: 128_000, init: `${folder}/init.mp4`, segments: seg(folder, 4.0107) });
  const audioTracks = audioLangs.map((lang, i) => ({
    id: i === 0 ? 'audio' : `audio-${i + 1}`, lang, label: `Track ${i + 1}`, default: i === 0,
    ...audioRep(i === 0 ? 'audio' : `audio/${i + 1}`),
  }));
  return {
    version: 1, videoId: 'v1', duration: count * 4.004,
    video: [rung(720, 1280, 2_500_000), rung(360, 640, 600_000), rung(480, 854, 1_000_000)],
    audio: withAudio ? audioRep('audio') : null,
    thumbnails: { vtt: 'thumbs/thumbs.vtt', interval: 4, tileWidth: 160, tileHeight: 90, sprites: [{ url: 'thumbs/sprite_001.jpg', columns: 10, rows: 10 }] },
    mpd: 'manifest.mpd',
    poster: 'poster.jpg',
    hls: 'master.m3u8',
    complete: true,
    ...(withAudio ? { audioTracks } : {}),
  };
}

/** The sample above as the player sees it. */
export function sampleManifest(count = 5, withAudio = true, audioLangs: string[] = ['und']): Manifest {
  return parseManifest(sampleManifestJson(count, withAudio, audioLangs), 'https://cdn.test/media/v1/manifest.json');
}

/**
 * The sample while the worker still publishes it: the first `published` of `total` segments per track,
 * `complete: false`, duration = the end of the shorter track, and the probed length as expectedDuration.
 */
export function growingManifestJson(published: number, total = 5, withAudio = true, audioLangs: string[] = ['und']) {
  const full = sampleManifestJson(total, withAudio, audioLangs);
  const cut = <T extends { segments: { start: number; duration: number }[] }>(rep: T): T => ({ ...rep, segments: rep.segments.slice(0, published) });
  const video = full.video.map(cut);
  const audio = full.audio ? cut(full.audio) : null;
  const ends = [...video, ...(audio ? [audio] : [])].map((r) => {
    const last = r.segments[r.segments.length - 1];
    return last ? last.start + last.duration : 0;
  });
  const audioTracks = full.audioTracks?.map(cut);
  return {
    ...full, video, audio, ...(audioTracks ? { audioTracks } : {}),
    duration: Math.min(...ends), complete: false, expectedDuration: full.duration, segmentCount: published,
  };
}

export function growingManifest(published: number, total = 5, withAudio = true, audioLangs: string[] = ['und']): Manifest {
  return parseManifest(growingManifestJson(published, total, withAudio, audioLangs), 'https://cdn.test/media/v1/manifest.json');
}
