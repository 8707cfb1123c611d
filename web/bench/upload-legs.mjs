// The upload legs of the web bench: curl baselines (one presigned PUT; the engine's protocol by hand) and
// the SPA's uploader in the browser, plus the housekeeping that keeps the worker out of the measurement.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { curlPut, sleep } from './lib.mjs';

export const HEAP_SAMPLE_MS = 100;
const mb = (bytes) => bytes / 1e6;

/** Cancels a processing video and deletes it, so the worker does not chew on random bytes. */
export async function discardVideo(admin, videoId) {
  await admin.call('POST', `/api/v1/videos/${videoId}/cancel`).catch(() => undefined);
  await admin.call('DELETE', `/api/v1/admin/videos/${videoId}`).catch(() => undefined);
  await admin.call('DELETE', `/api/v1/uploads/${videoId}`).catch(() => undefined);
}

/**
 * `curl -T` of the whole file to ONE presigned PutObject URL from the API.
 * The API issues a single-PUT URL only below Uploads:MultipartThresholdBytes (100 MB by default),
 * and the AWS SDK presigns PUTs with `X-Amz-SignedHeaders=host` and UNSIGNED-PAYLOAD: neither the
 * size nor the body is part of the signature. So the session is created as a single upload of
 * the threshold size, and the whole 500 MB file is PUT to its URL; the object's size is checked
 * with a HEAD afterwards, then the session is aborted. Same server, same bucket, same code path
 * in s3rver as a 600 MB-threshold stack's single PUT, without a second stack.
 */
export async function curlSingle(admin, file, info) {
  const size = fs.statSync(file).size;
  const created = await admin.call('POST', '/api/v1/uploads', { fileName: 'curl-single.bin', size: Math.min(size, 100_000_000), contentType: 'video/mp4', title: 'curl single bench' });
  if (created.mode !== 'single' || !created.url) throw new Error(`expected a single-PUT session, got ${created.mode}`);
  const t0 = performance.now();
  await curlPut(file, created.url);
  const seconds = (performance.now() - t0) / 1000;
  const head = await fetch(created.url.split('?')[0], { method: 'HEAD' }); // objects are readable anonymously
  const stored = Number(head.headers.get('content-length'));
  await admin.call('DELETE', `/api/v1/uploads/${created.videoId}`).catch(() => undefined);
  if (stored !== size) throw new Error(`single PUT stored ${stored} bytes, expected ${size}`);
  return { seconds, mbPerSecond: mb(size) / seconds, url: created.url.replace(/\?.*/, '?…'), storage: info.s3.endpoint };
}

/**
 * The engine's protocol without the browser: curl PUTs the parts (server's default part size) to
 * presigned part URLs, `parallel` at once, each ETag recorded with the API, then complete (s3rver
 * assembles the object). Times both phases.
 */
export async function curlParts(admin, file, parallel) {
  const size = fs.statSync(file).size;
  const created = await admin.call('POST', '/api/v1/uploads', { fileName: 'curl-parts.bin', size, contentType: 'video/mp4', title: 'curl parts bench' });
  const numbers = Array.from({ length: created.partCount }, (_, i) => i + 1);
  const urls = new Map();
  if (created.mode === 'single' && created.url) urls.set(1, created.url);
  else {
    for (let i = 0; i < numbers.length; i += 100) {
      for (const s of await admin.call('POST', `/api/v1/uploads/${created.videoId}/parts/sign`, { partNumbers: numbers.slice(i, i + 100) })) urls.set(s.partNumber, s.url);
    }
  }
  const partDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-bench-parts-'));
  execFileSync('split', ['-b', String(created.partSize), '-d', '-a', '5', file, path.join(partDir, 'p')]);
  // the parts were just written: they are in the page cache like the source file
  const t0 = performance.now();
  const queue = [...numbers];
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const part = path.join(partDir, `p${String(n - 1).padStart(5, '0')}`);
      const { etag } = await curlPut(part, urls.get(n));
      if (created.mode !== 'single') await admin.call('PUT', `/api/v1/uploads/${created.videoId}/parts/${n}`, { etag, size: fs.statSync(part).size });
    }
  };
  let partsSeconds;
  let seconds;
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
    partsSeconds = (performance.now() - t0) / 1000;
    await admin.call('POST', `/api/v1/uploads/${created.videoId}/complete`);
    seconds = (performance.now() - t0) / 1000;
  } finally {
    fs.rmSync(partDir, { recursive: true, force: true });
    await discardVideo(admin, created.videoId);
  }
  return {
    seconds, mbPerSecond: mb(size) / seconds, partsSeconds, partsMBps: mb(size) / partsSeconds, completeSeconds: seconds - partsSeconds,
    parallel, parts: created.partCount, partSize: created.partSize,
  };
}

/** The SPA: pick the file, press "Start upload", wait for "done"; samples the JS heap meanwhile. */
export async function browserUpload(page, cdp, admin, file) {
  const size = fs.statSync(file).size;
  await page.goto('/');
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByRole('button', { name: 'Start upload' }).waitFor();
  await page.evaluate(() => {
    // status transitions of the upload row, in page time: parts phase vs complete
    window.__uploadStatuses = [];
    new MutationObserver(() => {
      const s = document.querySelector('[data-testid=upload-item]')?.getAttribute('data-status');
      if (s && window.__uploadStatuses.at(-1)?.s !== s) window.__uploadStatuses.push({ s, t: performance.now() });
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
  await cdp.send('HeapProfiler.collectGarbage');
  const baseline = await cdp.send('Runtime.getHeapUsage');
  const heap = { peakUsed: baseline.usedSize, peakTotal: baseline.totalSize, baselineUsed: baseline.usedSize, samples: 0 };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        const h = await cdp.send('Runtime.getHeapUsage');
        heap.peakUsed = Math.max(heap.peakUsed, h.usedSize);
        heap.peakTotal = Math.max(heap.peakTotal, h.totalSize);
        heap.samples++;
      } catch {
        /* page navigating */
      }
      await sleep(HEAP_SAMPLE_MS);
    }
  })();
  const t0 = performance.now();
  await page.getByRole('button', { name: 'Start upload' }).click();
  const done = page.locator('[data-testid=upload-item][data-status=done]');
  const failed = page.locator('[data-testid=upload-item][data-status=error]');
  await Promise.race([
    done.waitFor({ timeout: 30 * 60_000 }),
    failed.waitFor({ timeout: 30 * 60_000 }).then(async () => {
      throw new Error(`browser upload failed: ${await failed.innerText()}`);
    }),
  ]);
  const seconds = (performance.now() - t0) / 1000;
  sampling = false;
  await sampler;
  const perfMemory = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
  const statuses = await page.evaluate(() => window.__uploadStatuses);
  const at = (s) => statuses.find((x) => x.s === s)?.t;
  const partsSeconds = (at('completing') - at('uploading')) / 1000;
  const completeSeconds = (at('done') - at('completing')) / 1000;
  // the engine completed the upload: the video is now processing random bytes — drop it
  const list = await admin.call('GET', '/api/v1/videos?page=1&pageSize=5&sort=created_desc');
  const video = list.items.find((v) => v.fileName === path.basename(file));
  if (video) await discardVideo(admin, video.id);
  return {
    seconds,
    mbPerSecond: mb(size) / seconds,
    partsSeconds,
    partsMBps: mb(size) / partsSeconds,
    completeSeconds,
    statuses: statuses.map((x) => `${x.s}@${Math.round(x.t - statuses[0].t)}ms`).join(' '),
    heap: { baselineMB: mb(heap.baselineUsed), peakUsedMB: mb(heap.peakUsed), peakTotalMB: mb(heap.peakTotal), samples: heap.samples, endPerformanceMemoryMB: perfMemory === null ? null : mb(perfMemory) },
  };
}

/** Waits until the worker has nothing to process (a discarded upload may have been claimed). */
export async function waitWorkerIdle(admin) {
  for (let i = 0; i < 120; i++) {
    const s = await admin.call('GET', '/api/v1/admin/jobs/stats').catch(() => null);
    if (!s || (s.processing === 0 && s.scheduled === 0)) return;
    await sleep(1000);
  }
}
