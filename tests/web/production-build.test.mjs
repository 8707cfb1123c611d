// The production web build: it is served to everyone, so it must not ship source maps (they hand out the
// original TypeScript, comments included) nor point at them with a sourceMappingURL comment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const web = path.join(root, 'web');

const filesUnder = (dir) => fs.readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));

test('the production build has no source map and no sourceMappingURL comment', { timeout: 300_000 }, () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-web-build-'));
  try {
    const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    const built = spawnSync(process.execPath, [vite, 'build', '--mode', 'production', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
      { cwd: web, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    assert.equal(built.status, 0, `vite build failed:\n${built.stdout}\n${built.stderr}`);

    const files = filesUnder(outDir);
    assert.ok(files.some((f) => f.endsWith('.js')), `the build wrote no script: ${files.join(', ')}`);
    assert.deepEqual(files.filter((f) => f.endsWith('.map')).map((f) => path.relative(outDir, f)), []);
    const pointing = files.filter((f) => /\.(js|css|html)$/.test(f) && /sourceMappingURL=/.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(pointing.map((f) => path.relative(outDir, f)), []);
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
});
