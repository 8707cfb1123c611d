import { describe, expect, it } from 'vitest';
import { isWatchable, playableLabel, watchability } from './playable';

const url = 'https://cdn.test/media/x/v1/manifest.json';

describe('watchability', () => {
  it('plays a ready video and a processing one that has a manifest', () => {
    expect(watchability({ status: 'ready', manifestUrl: url })).toBe('ready');
    expect(watchability({ status: 'processing', manifestUrl: url })).toBe('playable-processing');
    expect(isWatchable({ status: 'processing', manifestUrl: url })).toBe(true);
  });

  it('does not play without a manifest, or a failed video whatever it points at', () => {
    expect(isWatchable({ status: 'processing', manifestUrl: null })).toBe(false);
    expect(isWatchable({ status: 'ready', manifestUrl: null })).toBe(false);
    expect(isWatchable({ status: 'failed', manifestUrl: url })).toBe(false);
    expect(isWatchable({ status: 'uploading', manifestUrl: null })).toBe(false);
  });

  it('labels a playable processing video with its progress', () => {
    expect(playableLabel({ status: 'processing', manifestUrl: url, progress: 41.6 })).toBe('Playable — still processing 42%');
    expect(playableLabel({ status: 'processing', manifestUrl: null, progress: 41 })).toBeNull();
    expect(playableLabel({ status: 'ready', manifestUrl: url, progress: 100 })).toBeNull();
  });
});
