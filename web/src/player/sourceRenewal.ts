import type { Manifest, Representation } from './manifest';

/**
 * A private video's URLs carry a playback token in their path (`…/p/{token}/private/{id}/v{n}/…`), so a token that
 * expires mid-play (a long film, a night's pause) turns every next segment into a 403. The page can ask the API for
 * a fresh URL of the same manifest; everything the manifest points to then moves from the old folder to the new one.
 */

/** The folder a manifest's relative URLs resolve against. */
export function baseOf(manifestUrl: string): string {
  return new URL('.', manifestUrl).href;
}

/** `url` moved from under `from` to under `to`; any other URL unchanged. */
export function rebaseUrl(url: string, from: string, to: string): string {
  return url.startsWith(from) ? to + url.slice(from.length) : url;
}

function rebaseRepresentation(r: Representation, from: string, to: string): void {
  r.init = rebaseUrl(r.init, from, to);
  for (const s of r.segments) s.url = rebaseUrl(s.url, from, to);
}

/**
 * Moves every URL of `manifest` from under `from` to under `to`. In place, on purpose: the track streamers hold its
 * representations, and must fetch the next segment from the new place without being rebuilt.
 */
export function rebaseManifest(manifest: Manifest, from: string, to: string): void {
  const reps = new Set<Representation>([...manifest.video, ...manifest.audioTracks, ...(manifest.audio ? [manifest.audio] : [])]);
  for (const r of reps) rebaseRepresentation(r, from, to);
  if (manifest.thumbnails) manifest.thumbnails.vtt = rebaseUrl(manifest.thumbnails.vtt, from, to);
  if (manifest.hls) manifest.hls = rebaseUrl(manifest.hls, from, to);
}
