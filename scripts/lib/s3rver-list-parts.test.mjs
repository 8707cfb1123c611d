// node --test scripts/lib/s3rver-list-parts.test.mjs — ListParts over s3rver's part files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { listPartsXml, storedUploadParts } from './s3rver-list-parts.mjs';

test('only whole parts are listed (a part still arriving has no .md5 yet), in part order, paged like S3', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-list-parts-'));
  try {
    fs.writeFileSync(path.join(dir, 'key'), 'raw/a b&c');
    for (const [n, bytes] of [[10, 3], [2, 5]]) {
      fs.writeFileSync(path.join(dir, String(n)), Buffer.alloc(bytes));
      fs.writeFileSync(path.join(dir, `${n}.md5`), `md5of${n}\n`);
    }
    fs.writeFileSync(path.join(dir, '3'), Buffer.alloc(7)); // arriving
    const parts = await storedUploadParts(dir);
    assert.deepEqual(parts.map((p) => [p.number, p.md5, p.size]), [[2, 'md5of2', 5], [10, 'md5of10', 3]]);
    const page1 = listPartsXml({ bucket: 'b', key: 'raw/a b&c', uploadId: 'u1', parts, marker: 0, maxParts: 1 });
    assert.match(page1, /<Key>raw\/a b&amp;c<\/Key>/);
    assert.match(page1, /<IsTruncated>true<\/IsTruncated>/);
    assert.match(page1, /<NextPartNumberMarker>2<\/NextPartNumberMarker>/);
    assert.match(page1, /<Part><PartNumber>2<\/PartNumber><LastModified>[^<]+<\/LastModified><ETag>"md5of2"<\/ETag><Size>5<\/Size><\/Part><\/ListPartsResult>$/);
    const page2 = listPartsXml({ bucket: 'b', key: 'k', uploadId: 'u1', parts, marker: 2, maxParts: 1000 });
    assert.match(page2, /<IsTruncated>false<\/IsTruncated>/);
    assert.doesNotMatch(page2, /<PartNumber>2</);
    assert.match(page2, /<PartNumber>10</);
    assert.equal(await storedUploadParts(path.join(dir, 'missing')), null);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
