// S3 calls from tooling go through the AWS SDK (the same signing the API's SDK does), pointed at the
// local S3 server: path-style addressing, and checksums only where S3 requires them because the local
// server does not understand the SDK's default flexible-checksum headers.
import { S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** A client for the stack's S3 server: STACK_READY `s3` = { endpoint, accessKey, secretKey, region }. */
export function s3Client({ endpoint, accessKey, secretKey, region = 'us-east-1' }) {
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: accessKey, secretAccessKey: secretKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A presigned URL for one command (e.g. new PutObjectCommand({...})), valid for expiresIn seconds. */
export function presign(client, command, expiresIn = 900) {
  return getSignedUrl(client, command, { expiresIn });
}
