// s3rver has no ListParts (GET ?uploadId) and no AbortMultipartUpload (DELETE ?uploadId): it answers both with
// 405 MethodNotAllowed. S3 and MinIO have them; @tus/s3-store needs ListParts to find an upload's offset, and
// our API's abort of a multipart session should free the parts as it does on S3. This Koa middleware sits in
// front of s3rver's router and answers those two when the router refused them as not allowed, which it does
// only after its own signature check passed. Parts are read from s3rver's store as it keeps them:
// uploads/<uploadId>/<partNumber> with <partNumber>.md5 written once the part is whole.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const xmlEscape = (s) => String(s).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);

/** The whole parts of an upload, ascending: [{ number, md5, size, modified }]; null when there is no such upload. */
export async function storedUploadParts(uploadDir) {
  let names;
  try {
    names = await fs.readdir(uploadDir);
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
  const numbers = names.filter((n) => /^\d+\.md5$/.test(n)).map((n) => Number(n.slice(0, -4))).sort((a, b) => a - b);
  const parts = await Promise.all(numbers.map(async (number) => {
    const file = path.join(uploadDir, String(number));
    try {
      const [md5, stat] = await Promise.all([fs.readFile(`${file}.md5`, 'utf8'), fs.stat(file)]);
      return { number, md5: md5.trim(), size: stat.size, modified: stat.mtime };
    } catch (e) {
      if (e.code === 'ENOENT') return null; // completed or aborted meanwhile
      throw e;
    }
  }));
  return parts.filter(Boolean);
}

export function listPartsXml({ bucket, key, uploadId, parts, marker, maxParts }) {
  const after = parts.filter((p) => p.number > marker);
  const page = after.slice(0, maxParts);
  const truncated = after.length > page.length;
  return `<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${xmlEscape(uploadId)}</UploadId>`
    + `<PartNumberMarker>${marker}</PartNumberMarker><NextPartNumberMarker>${page.length ? page[page.length - 1].number : marker}</NextPartNumberMarker>`
    + `<MaxParts>${maxParts}</MaxParts><IsTruncated>${truncated}</IsTruncated><StorageClass>STANDARD</StorageClass>`
    + page.map((p) => `<Part><PartNumber>${p.number}</PartNumber><LastModified>${p.modified.toISOString()}</LastModified><ETag>"${p.md5}"</ETag><Size>${p.size}</Size></Part>`).join('')
    + '</ListPartsResult>';
}

/** Koa middleware for s3rver: ListParts and AbortMultipartUpload, path-style `/<bucket>/<key>?uploadId=…`. */
export function multipartListAndAbort() {
  const S3Error = require('@20minutes/s3rver/lib/models/error');
  return async function multipartListAndAbortMiddleware(ctx, next) {
    try {
      await next();
    } catch (error) {
      const uploadId = ctx.query.uploadId;
      if (error?.code !== 'MethodNotAllowed' || typeof uploadId !== 'string' || !/^[\w-]+$/.test(uploadId) || !['GET', 'DELETE'].includes(ctx.method)) throw error;
      const [bucket, ...rest] = decodeURIComponent(ctx.path).split('/').slice(1);
      const uploadDir = path.join(ctx.store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
      const noSuchUpload = () => new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: uploadId });
      const parts = await storedUploadParts(uploadDir);
      if (parts === null) throw noSuchUpload();
      if (ctx.method === 'DELETE') {
        await fs.rm(uploadDir, { recursive: true, force: true });
        ctx.status = 204;
        ctx.body = null;
        return;
      }
      const key = await fs.readFile(path.join(uploadDir, 'key'), 'utf8').catch(() => rest.join('/'));
      const marker = Math.max(0, Number(ctx.query['part-number-marker']) || 0);
      const maxParts = Math.min(1000, Math.max(1, Number(ctx.query['max-parts']) || 1000));
      ctx.status = 200;
      ctx.type = 'application/xml';
      ctx.body = listPartsXml({ bucket, key, uploadId, parts, marker, maxParts });
    }
  };
}
