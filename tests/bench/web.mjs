#!/usr/bin/env node
// Browser benchmarks (uploader throughput vs curl, player first frame / seek / stalls) live with the web
// client in web/bench/; this runs them with the others under `npm run bench`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const r = spawnSync(process.execPath, [path.join(root, 'web', 'bench', 'run.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
