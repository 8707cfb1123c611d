// Builds the bench pages into web/dist/__bench/ (vite.config.mjs here), where the API serves them.
// Called after the stack has built the SPA: that build empties web/dist.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function buildBenchPages() {
  await build({ configFile: path.join(here, 'vite.config.mjs') });
}
