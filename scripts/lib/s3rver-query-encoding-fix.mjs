// s3rver builds the SigV4 canonical query string with encodeURIComponent, which leaves ' ( ) * ! unencoded;
// SigV4 (and every SDK) encodes them (RFC 3986). A presigned GET whose response-content-disposition carries
// filename*=UTF-8''… (RFC 6266, how a download keeps a non-ASCII name) is then refused with
// SignatureDoesNotMatch, although real S3 and MinIO accept it. This loads s3rver's authentication middleware
// with that one call switched to the RFC 3986 encoder the same module already imports.
// Installed before s3rver (and the path fix, which wraps this module) is first required.
import { patchModuleSource } from './module-source-patch.mjs';

export function installS3rverQueryEncodingFix() {
  patchModuleSource('@20minutes/s3rver/lib/middleware/authentication',
    '[param, value].map(encodeURIComponent)', '[param, value].map(encodeURIComponentRFC3986)');
}
