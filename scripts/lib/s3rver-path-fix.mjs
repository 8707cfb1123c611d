// s3rver canonicalises bucket-level requests (ListObjects, GetBucketLocation) as "/bucket" even when
// the client sent and signed "/bucket/" — the AWS .NET SDK does, as SigV4 says it should — so every
// list is refused with SignatureDoesNotMatch. This wraps s3rver's authentication middleware so the
// bucket name carries the slash the request had while the signature is checked, and is restored
// before the request goes on. Installed before s3rver is first required.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function installS3rverPathFix() {
  const modulePath = require.resolve('@20minutes/s3rver/lib/middleware/authentication');
  const original = require(modulePath);
  if (original.__streamforgePathFix) return;
  const wrapped = (...args) => {
    const authenticate = original(...args);
    return async (ctx, next) => {
      const bucket = ctx.params?.bucket;
      const bucketLevel = bucket && !ctx.params.key && !ctx.state?.vhost && ctx.path.endsWith(`/${bucket}/`);
      if (!bucketLevel) return authenticate(ctx, next);
      ctx.params.bucket = `${bucket}/`;
      let restored = false;
      const restore = () => { if (!restored) { ctx.params.bucket = bucket; restored = true; } };
      try {
        return await authenticate(ctx, async () => { restore(); await next(); });
      } finally {
        restore();
      }
    };
  };
  wrapped.__streamforgePathFix = true;
  require.cache[modulePath].exports = wrapped;
}
