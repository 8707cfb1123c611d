import { describe, expect, it } from 'vitest';
import { AUDIO_LANGUAGE_KEY, chooseAudioTrack, storedAudioPreference } from './audioChoice';
import { sampleManifest } from './testFakes';

describe('audio track choice', () => {
  const tracks = sampleManifest(2, true, ['en', 'fr-CA', 'de']).audioTracks;

  it('takes the remembered language, exactly or by its primary language', () => {
    expect(chooseAudioTrack(tracks, 'fr-CA')?.id).toBe('audio-2');
    expect(chooseAudioTrack(tracks, 'FR')?.id).toBe('audio-2');
    expect(chooseAudioTrack(tracks, 'de-AT')?.id).toBe('audio-3');
  });

  it('falls back to the default track, and has nothing for a silent video', () => {
    expect(chooseAudioTrack(tracks, null)?.id).toBe('audio');
    expect(chooseAudioTrack(tracks, 'ja')?.id).toBe('audio');
    expect(chooseAudioTrack(tracks, 'und')?.id).toBe('audio');
    expect(chooseAudioTrack([], 'en')).toBeNull();
  });

  it('remembers the language in storage, and forgets quietly where storage is refused', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) } as unknown as Storage;
    const pref = storedAudioPreference(() => storage);
    expect(pref.get()).toBeNull();
    pref.set('fr-CA');
    expect(map.get(AUDIO_LANGUAGE_KEY)).toBe('fr-CA');
    expect(pref.get()).toBe('fr-CA');

    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    } as unknown as Storage;
    const none = storedAudioPreference(() => refusing);
    expect(() => none.set('en')).not.toThrow();
    expect(none.get()).toBeNull();
  });
});
