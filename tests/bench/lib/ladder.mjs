// The worker's ladder command for a local file, from the product (the worker's plan-ffmpeg mode calls
// FfmpegCommandBuilder.BuildLadder), taken apart to derive the naive one-ffmpeg-per-output baseline.
import fs from 'node:fs';
import path from 'node:path';
import { WORKER_DLL } from '../../../scripts/lib/dotnet.mjs';
import { run } from './common.mjs';

/**
 * `dotnet StreamForge.Worker.dll plan-ffmpeg <source> --work-dir <dir>` with Media__Preset=preset: the exact
 * command the worker would run for that file (every rung, the sprites and the poster), writing under dir.
 * Resolves { fileName, arguments, manifestPath, rungs, ... }.
 */
export async function planLadder(source, dir, { preset, maxQuality } = {}) {
  const args = [WORKER_DLL, 'plan-ffmpeg', source, '--work-dir', dir, ...(maxQuality ? ['--max-quality', String(maxQuality)] : [])];
  const r = await run('dotnet', args, { env: { ...process.env, ...(preset ? { Media__Preset: preset } : {}) }, timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`plan-ffmpeg failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout);
}

/**
 * The worker's one-process command (FfmpegCommandBuilder.BuildLadder) taken apart: the decoded source's label,
 * each rung's filters (as a one-rung ladder would scale it: from the source, without the cascade's split),
 * the sprite and poster filters, and where the DASH output and the two image outputs are in the arguments.
 */
export function parseLadder(args) {
  const fc = args.indexOf('-filter_complex');
  const labels = (text) => text.match(/\[[^\]]+\]/g) ?? [];
  const chains = args[fc + 1].split(';').map((text) => {
    const m = text.match(/^((?:\[[^\]]+\])+)(.*?)((?:\[[^\]]+\])+)$/);
    if (!m) throw new Error(`unexpected filter chain in the ladder command: ${text}`);
    return { inputs: labels(m[1]), filters: m[2], outputs: labels(m[3]) };
  });
  const producing = (label) => {
    const chain = chains.find((c) => c.outputs.includes(label));
    if (!chain) throw new Error(`no filter chain writes ${label} in the ladder command`);
    return chain.filters;
  };
  const rungCount = chains.flatMap((c) => c.outputs).filter((o) => /^\[v\d+\]$/.test(o)).length;
  if (rungCount < 1) throw new Error('no rungs in the ladder command');
  const rungFilters = Array.from({ length: rungCount }, (_, i) => producing(`[v${i}]`).replace(/,split=\d+$/, ''));
  const at = (suffix) => {
    const k = args.findIndex((x) => x.endsWith(suffix));
    if (k < 0) throw new Error(`no output ending in ${suffix} in the ladder command`);
    return k;
  };
  return {
    source: chains[0].inputs[0],
    rungFilters,
    rungSizes: rungFilters.map((f) => f.match(/scale=(\d+):(\d+)/).slice(1).join('x')),
    thumbs: producing('[thumbs]'),
    poster: producing('[poster]'),
    manifestAt: at('.mpd'),
    spritesAt: at('sprite_%03d.jpg'),
    posterAt: at('poster.jpg'),
  };
}


/**
 * The naive counterpart for rung i: the DASH part of the (local) ladder command as BuildLadder would give it for
 * that one rung — scaled straight from the source, its -map/-c:v/-profile/-b:v/-maxrate/-bufsize renumbered to
 * stream 0, the same common flags (preset, forced keyframes, -sc_threshold, pix_fmt, threads), audio only with the
 * first rung — into its own folder.
 */
export function singleRungArgs(ladder, parsed, i, manifestPath) {
  const out = [];
  for (let k = 0; k <= parsed.manifestAt; k++) {
    const a = ladder[k];
    const next = ladder[k + 1];
    if (a === '-filter_complex') { out.push(a, `${parsed.source}${parsed.rungFilters[i]}[v0]`); k++; continue; }
    if (a === '-map' && /^\[v\d+\]$/.test(next)) { if (next === `[v${i}]`) out.push(a, '[v0]'); k++; continue; }
    const perStream = a.match(/^-([\w]+):v:(\d+)$/);
    if (perStream) { if (Number(perStream[2]) === i) out.push(`-${perStream[1]}:v:0`, next); k++; continue; }
    if (a === '-map' || ['-c:a', '-ac', '-b:a', '-ar'].includes(a)) { if (i === 0) out.push(a, next); k++; continue; }
    if (a === '-adaptation_sets') { out.push(a, `id=0,streams=0${ladder.includes('-c:a') && i === 0 ? ' id=1,streams=a' : ''}`); k++; continue; }
    if (k === parsed.manifestAt) { out.push(manifestPath); continue; }
    out.push(a);
  }
  return out;
}

/** The naive thumbnails pass: the same sprite and poster outputs from one more decode of the source. */
export function thumbnailArgs(ladder, parsed, dir) {
  const graph = `${parsed.source}split=2[thumbs_in][poster_in];[thumbs_in]${parsed.thumbs}[thumbs];[poster_in]${parsed.poster}[poster]`;
  const tail = ladder.slice(parsed.manifestAt + 1);
  tail[parsed.spritesAt - parsed.manifestAt - 1] = path.join(dir, 'thumbs', 'sprite_%03d.jpg');
  tail[parsed.posterAt - parsed.manifestAt - 1] = path.join(dir, 'poster.jpg');
  fs.mkdirSync(path.join(dir, 'thumbs'), { recursive: true });
  return [...ladder.slice(0, ladder.indexOf('-i') + 2), '-filter_complex', graph, ...tail];
}

