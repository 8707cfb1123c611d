import type { AudioTrack } from './manifest';

/**
 * Which audio track plays: the viewer's last choice, remembered by language (a track id means nothing on another
 * video, a language does), else the track the worker marked default. No DOM beyond the Storage handed in.
 */
export const AUDIO_LANGUAGE_KEY = 'streamforge.audioLanguage';

export interface AudioPreference {
  get(): string | null;
  set(lang: string): void;
}

/** The remembered language in localStorage; a browser that refuses storage (private mode, quota) just forgets. */
export function storedAudioPreference(storage: () => Storage | undefined = () => globalThis.localStorage): AudioPreference {
  return {
    get: () => {
      try {
        return storage()?.getItem(AUDIO_LANGUAGE_KEY) ?? null;
      } catch {
        return null;
      }
    },
    set: (lang) => {
      try {
        storage()?.setItem(AUDIO_LANGUAGE_KEY, lang);
      } catch {
        // Not remembered: the choice still holds for this view.
      }
    },
  };
}

/**
 * The track in the preferred language (exactly, else the same primary language: "en" finds "en-US"), else the
 * default, else the first; null when there is no audio. "und" is no preference.
 */
export function chooseAudioTrack(tracks: readonly AudioTrack[], preferredLang: string | null): AudioTrack | null {
  const wanted = preferredLang?.toLowerCase();
  if (wanted && wanted !== 'und') {
    const exact = tracks.find((t) => t.lang.toLowerCase() === wanted);
    if (exact) return exact;
    const primary = wanted.split('-')[0];
    const related = tracks.find((t) => t.lang.toLowerCase().split('-')[0] === primary);
    if (related) return related;
  }
  return tracks.find((t) => t.default) ?? tracks[0] ?? null;
}
