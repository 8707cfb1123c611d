// s3rver completes a multipart upload by streaming every part through a fresh MD5 of the whole object into
// the object file, in its one Node thread: 1.5–1.9 s for a 500 MB upload, longer than the parts themselves
// took to arrive, and it accepts any ETag and any part size. This replaces that step with what S3 does:
// check the list (ascending part numbers, every part present with the ETag the client recorded, every part
// but the last at least 5 MiB), join the parts into a temp file without hashing them again (`cat`, which
// copies inside the kernel: 150 MB in ~70 ms here, vs ~200 ms through Node's buffers), rename it into place,
// and answer the multipart ETag S3 gives (MD5 of the parts' binary MD5s, "-" part count).
// Installed before s3rver handles a request; the rest of its store is unchanged.
import fs from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const MIN_PART_BYTES = 5 * 1024 * 1024;
const COPY_CHUNK_BYTES = 8 * 1024 * 1024;

export function installS3rverMultipartComplete() {
  const Store = require('@20minutes/s3rver/lib/stores/filesystem');
  const S3Error = require('@20minutes/s3rver/lib/models/error');
  if (Store.prototype.putObjectMultipart.__streamforge) return;

  async function putObjectMultipart(bucket, uploadId, parts) {
    const uploadDir = path.join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId);
    const [key, metadata] = await Promise.all([
      fs.readFile(path.join(uploadDir, 'key'), 'utf8'),
      fs.readFile(path.join(uploadDir, 'metadata'), 'utf8').then(JSON.parse),
    ]).catch((e) => {
      if (e.code !== 'ENOENT') throw e;
      throw new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
    });
    const stored = await storedParts(uploadDir, parts, S3Error);

    const objectPath = this.getResourcePath(bucket, key, 'object');
    await fs.mkdir(path.dirname(objectPath), { recursive: true });
    const temp = `${objectPath}.${uploadId}.tmp`;
    let size;
    try {
      size = await concatenate(stored.map((p) => p.file), temp);
      await fs.rename(temp, objectPath);
    } catch (e) {
      await fs.rm(temp, { force: true });
      throw e;
    }
    const md5 = `${crypto.createHash('md5').update(Buffer.concat(stored.map((p) => Buffer.from(p.md5, 'hex')))).digest('hex')}-${stored.length}`;
    await this.putMetadata(bucket, key, metadata, md5);
    await fs.rm(uploadDir, { recursive: true });
    return { size, md5 };
  }
  putObjectMultipart.__streamforge = true;
  Store.prototype.putObjectMultipart = putObjectMultipart;
}

/** The listed parts as stored, checked the way S3 checks a CompleteMultipartUpload body. */
async function storedParts(uploadDir, parts, S3Error) {
  if (!parts.length) throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  for (let i = 1; i < parts.length; i++) {
    if (!(parts[i].number > parts[i - 1].number)) {
      throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
    }
  }
  const invalidPart = () => new S3Error('InvalidPart',
    "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.");
  const stored = await Promise.all(parts.map(async (part) => {
    const file = path.join(uploadDir, String(part.number));
    try {
      const [md5, stat] = await Promise.all([fs.readFile(`${file}.md5`, 'utf8'), fs.stat(file)]);
      return { file, md5: md5.trim(), size: stat.size, etag: part.etag };
    } catch (e) {
      if (e.code === 'ENOENT') throw invalidPart();
      throw e;
    }
  }));
  stored.forEach((p, i) => {
    if (p.md5 !== p.etag) throw invalidPart();
    if (i < stored.length - 1 && p.size < MIN_PART_BYTES) {
      throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.');
    }
  });
  return stored;
}

/** Writes the files one after another into `target`; returns the byte count. */
async function concatenate(files, target) {
  if (await concatenateWithCat(files, target)) return (await fs.stat(target)).size;
  const out = await fs.open(target, 'w');
  const buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  let size = 0;
  try {
    for (const file of files) {
      const input = await fs.open(file, 'r');
      try {
        for (;;) {
          const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) break;
          await out.write(buffer, 0, bytesRead, size);
          size += bytesRead;
        }
      } finally {
        await input.close();
      }
    }
  } finally {
    await out.close();
  }
  return size;
}

/** `cat parts… > target`; false when cat cannot be run (the caller copies in Node), throws when it fails. */
async function concatenateWithCat(files, target) {
  const fd = openSync(target, 'w');
  try {
    return await new Promise((resolve, reject) => {
      const cat = spawn('cat', ['--', ...files], { stdio: ['ignore', fd, 'pipe'] });
      let stderr = '';
      cat.stderr.on('data', (d) => { stderr += d; });
      cat.on('error', (e) => (e.code === 'ENOENT' ? resolve(false) : reject(e)));
      cat.on('close', (code) => (code === 0 ? resolve(true) : reject(new Error(`cat exited with ${code}: ${stderr.trim()}`))));
    });
  } finally {
    closeSync(fd);
  }
}
