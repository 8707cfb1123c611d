// SDKs send CopyObject's x-amz-copy-source URL-encoded ("bucket%2Fkey", as S3 documents it); s3rver reads it with
// decodeURI(), which leaves %2F alone, so the "bucket" keeps the whole key and the copy fails with NoSuchBucket.
// Real S3 and MinIO accept it. This loads s3rver's object controller with those reads switched to
// decodeURIComponent (the header is a path whose slashes may or may not be encoded; both decode the same).
// Installed before s3rver is first required (a header rewrite in a middleware would break its SigV4 check).
import { patchModuleSource } from './module-source-patch.mjs';

export function installS3rverCopySourceFix() {
  patchModuleSource('@20minutes/s3rver/lib/controllers/object',
    "decodeURI(ctx.headers['x-amz-copy-source'])", "decodeURIComponent(ctx.headers['x-amz-copy-source'])");
}
