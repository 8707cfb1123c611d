// The tus peer of the resume bench: @tus/server with @tus/s3-store, in the bench's Node process, storing into
// the stack's own S3 server (its admin keys), with the same part size as our uploads. Each upload becomes one
// S3 multipart upload; bytes that arrive before a connection is cut are kept (as an incomplete part), so the
// client resumes from the server's Upload-Offset.
import http from 'node:http';
import { Server } from '@tus/server';
import { S3Store } from '@tus/s3-store';

/** s3 = the stack's STACK_READY `s3` ({ endpoint, bucket, accessKey, secretKey, region }). Resolves { endpoint, close() }. */
export async function startTusServer({ s3, partSize }) {
  const datastore = new S3Store({
    partSize,
    s3ClientConfig: {
      bucket: s3.bucket,
      region: s3.region ?? 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
      // the local S3 server does not understand the SDK's default flexible-checksum headers
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    },
  });
  const tus = new Server({ path: '/files', datastore });
  const server = http.createServer((req, res) => tus.handle(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}/files`,
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
