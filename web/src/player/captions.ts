/**
 * Caption tracks on the <video> element. The WebVTT files live beside the media (another origin), and a <track>
 * element would need CORS and a media-src exception for them; instead the text is fetched like the manifest and its
 * cues are added to a TextTrack, which the browser renders as it would a <track>'s (and MSE playback does not care).
 */
export interface CaptionSource {
  lang: string;
  label: string;
  url: string;
}

export interface Cue {
  start: number;
  end: number;
  text: string;
}

const TIMING = /^((?:\d+:)?\d{2}:\d{2}\.\d{3})[ \t]+-->[ \t]+((?:\d+:)?\d{2}:\d{2}\.\d{3})/;

function seconds(stamp: string): number {
  const parts = stamp.split(':').map(Number);
  return parts.reduce((total, p) => total * 60 + p, 0);
}

/** The cues of a WebVTT file (the server normalises uploads, so the plain form is all there is to read). */
export function parseVtt(text: string): Cue[] {
  const cues: Cue[] = [];
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.length > 0);
    const at = lines.findIndex((l) => TIMING.test(l));
    if (at < 0 || at > 1) continue; // header, NOTE, STYLE, REGION
    const m = TIMING.exec(lines[at] ?? '');
    if (!m?.[1] || !m[2]) continue;
    cues.push({ start: seconds(m[1]), end: seconds(m[2]), text: lines.slice(at + 1).join('\n') });
  }
  return cues;
}

/** One TextTrack per caption source on a video element; at most one showing. Cues are fetched when first shown. */
export class CaptionTracks {
  private readonly tracks = new Map<string, { track: TextTrack; loaded: Promise<void> | null; source: CaptionSource }>();

  constructor(
    video: HTMLVideoElement,
    sources: CaptionSource[],
    private readonly fetchText: (url: string) => Promise<string> = async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`captions: HTTP ${response.status}`);
      return response.text();
    },
  ) {
    for (const source of sources) {
      const track = video.addTextTrack('subtitles', source.label, source.lang);
      track.mode = 'disabled';
      this.tracks.set(source.lang, { track, loaded: null, source });
    }
  }

  /** Shows the track of `lang` (null: captions off). Resolves once its cues are in. */
  async select(lang: string | null): Promise<void> {
    for (const [key, entry] of this.tracks) if (key !== lang) entry.track.mode = 'disabled';
    const entry = lang === null ? undefined : this.tracks.get(lang);
    if (!entry) return;
    entry.loaded ??= this.fetchText(entry.source.url).then((text) => {
      for (const cue of parseVtt(text)) entry.track.addCue(new VTTCue(cue.start, cue.end, cue.text));
    });
    entry.track.mode = 'showing';
    try {
      await entry.loaded;
    } catch (e) {
      entry.loaded = null; // a later selection tries again
      throw e;
    }
  }

  /** Leaves the tracks on the element (they cannot be removed) but hidden. */
  destroy(): void {
    for (const entry of this.tracks.values()) entry.track.mode = 'disabled';
  }
}
