// Loads one CommonJS module of a dependency with a line of its source replaced, and leaves it in require's cache so
// every later require() gets the patched copy. For the local S3 server's few bugs whose fix is one call: its modules
// read request parts in ways a middleware cannot correct without breaking its signature check. Must run before the
// module is first required; does nothing when it already was, or when a release changed the line (fixed, or moved).
import fs from 'node:fs';
import path from 'node:path';
import Module, { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Replaces every `needle` in the module `request` resolves to with `replacement`. */
export function patchModuleSource(request, needle, replacement) {
  const modulePath = require.resolve(request);
  if (require.cache[modulePath]) return;
  const source = fs.readFileSync(modulePath, 'utf8');
  if (!source.includes(needle)) return;
  const patched = new Module(modulePath);
  patched.filename = modulePath;
  patched.paths = Module._nodeModulePaths(path.dirname(modulePath));
  patched._compile(source.replaceAll(needle, replacement), modulePath);
  patched.loaded = true;
  require.cache[modulePath] = patched;
}
