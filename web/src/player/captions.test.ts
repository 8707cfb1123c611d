import { describe, expect, it } from 'vitest';
import { parseVtt } from './captions';

describe('parseVtt', () => {
  it('reads cues with and without ids, hours optional, multi-line text', () => {
    const text = 'WEBVTT\n\nSTYLE\n::cue { color: yellow }\n\nintro\n00:00:01.000 --> 00:00:02.500 line:0\nHello\nthere\n\n01:02:03.250 --> 01:02:04.000\nLate\n';
    expect(parseVtt(text)).toEqual([
      { start: 1, end: 2.5, text: 'Hello\nthere' },
      { start: 3723.25, end: 3724, text: 'Late' },
    ]);
  });

  it('reads the short mm:ss form and CRLF files, and skips notes', () => {
    expect(parseVtt('WEBVTT\r\n\r\nNOTE hi\r\n\r\n00:05.000 --> 00:06.000\r\nx\r\n')).toEqual([{ start: 5, end: 6, text: 'x' }]);
  });

  it('finds nothing in a file without cues', () => {
    expect(parseVtt('WEBVTT\n\n')).toEqual([]);
  });
});
