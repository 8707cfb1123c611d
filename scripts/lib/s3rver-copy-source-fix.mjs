// SDKs send CopyObject's x-amz-copy-source URL-encoded ("bucket%2Fkey", as S3 documents it); s3rver reads it with
// decodeURI(), which leaves %2F alone, so the "bucket" keeps the whole key and the copy fails with NoSuchBucket.
// Real S3 and MinIO accept it. This loads s3rver's object controller with those reads switched to
// decodeURIComponent (the header is a path whose slashes may or may not be encoded; both decode the same).
// Installed before s3rver is first required (a header rewrite in a middleware would break its SigV4 check).
import fs from 'node:fs';
import path from 'node:path';
import Module, { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const NEEDLE = "decodeURI(ctx.headers['x-amz-copy-source'])";

export function installS3rverCopySourceFix() {
  const modulePath = require.resolve('@20minutes/s3rver/lib/controllers/object');
  if (require.cache[modulePath]) return; // already loaded (patched earlier, or by someone else first)
  const source = fs.readFileSync(modulePath, 'utf8');
  if (!source.includes(NEEDLE)) return; // a release that fixed it (or changed it): leave it alone
  const patched = new Module(modulePath);
  patched.filename = modulePath;
  patched.paths = Module._nodeModulePaths(path.dirname(modulePath));
  patched._compile(source.replaceAll(NEEDLE, "decodeURIComponent(ctx.headers['x-amz-copy-source'])"), modulePath);
  patched.loaded = true;
  require.cache[modulePath] = patched;
}
