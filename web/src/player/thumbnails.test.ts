import { describe, expect, it } from 'vitest';
import { parseThumbnailVtt, parseVttTime, thumbnailAt } from './thumbnails';

const VTT = `WEBVTT

00:00:00.000 --> 00:00:04.000
sprite_001.jpg#xywh=0,0,160,90

00:00:04.000 --> 00:00:08.000
sprite_001.jpg#xywh=160,0,160,90

2
00:00:08.000 --> 00:00:12.000 align:start
sprite_002.jpg#xywh=0,90,160,90
`;

describe('thumbnail VTT', () => {
  it('parses times', () => {
    expect(parseVttTime('00:01:02.500')).toBe(62.5);
    expect(parseVttTime('01:02.5')).toBe(62.5);
    expect(parseVttTime('1:00:00.000')).toBe(3600);
  });

  it('parses cues with sprite URLs resolved against the VTT URL', () => {
    const cues = parseThumbnailVtt(VTT.replace(/\n/g, '\r\n'), 'https://cdn.test/media/v1/thumbs/thumbs.vtt');
    expect(cues).toHaveLength(3);
    expect(cues[1]).toEqual({ start: 4, end: 8, url: 'https://cdn.test/media/v1/thumbs/sprite_001.jpg', x: 160, y: 0, w: 160, h: 90 });
    expect(cues[2]?.url).toBe('https://cdn.test/media/v1/thumbs/sprite_002.jpg');
  });

  it('looks up the tile for a time', () => {
    const cues = parseThumbnailVtt(VTT, 'https://cdn.test/t/thumbs.vtt');
    expect(thumbnailAt(cues, 0)?.x).toBe(0);
    expect(thumbnailAt(cues, 5.9)?.x).toBe(160);
    expect(thumbnailAt(cues, 8)?.y).toBe(90);
    expect(thumbnailAt(cues, 100)?.y).toBe(90);
    expect(thumbnailAt([], 1)).toBeNull();
  });

  it('skips malformed cues', () => {
    expect(parseThumbnailVtt('WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nsprite.jpg\n', 'https://x/')).toEqual([]);
  });
});
