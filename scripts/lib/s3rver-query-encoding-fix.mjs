// s3rver builds the SigV4 canonical query string with encodeURIComponent, which leaves ' ( ) * ! unencoded;
// SigV4 (and every SDK) encodes them (RFC 3986). A presigned GET whose response-content-disposition carries
// filename*=UTF-8''… (RFC 6266, how a download keeps a non-ASCII name) is then refused with
// SignatureDoesNotMatch, although real S3 and MinIO accept it. This loads s3rver's authentication middleware
// with that one call switched to the RFC 3986 encoder the same module already imports.
// Installed before s3rver (and the path fix, which wraps this module) is first required.
import fs from 'node:fs';
import path from 'node:path';
import Module, { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const NEEDLE = '[param, value].map(encodeURIComponent)';

export function installS3rverQueryEncodingFix() {
  const modulePath = require.resolve('@20minutes/s3rver/lib/middleware/authentication');
  if (require.cache[modulePath]) return; // already loaded (patched earlier, or by someone else first)
  const source = fs.readFileSync(modulePath, 'utf8');
  if (!source.includes(NEEDLE)) return; // a release that fixed it (or changed it): leave it alone
  const patched = new Module(modulePath);
  patched.filename = modulePath;
  patched.paths = Module._nodeModulePaths(path.dirname(modulePath));
  patched._compile(source.replace(NEEDLE, '[param, value].map(encodeURIComponentRFC3986)'), modulePath);
  patched.loaded = true;
  require.cache[modulePath] = patched;
}

