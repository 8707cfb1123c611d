// One s3rver process of the local S3 cluster (forked by startS3 in s3.mjs).
import { runS3Process } from './s3.mjs';

await runS3Process();
