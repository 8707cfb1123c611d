// Browser-side pieces of the upload diagnostics: raw PUTs of a picked file from the page, and a CDP CPU
// profile summary.
import path from 'node:path';

// In the page: PUT parts of the picked File with XHR or fetch, `parallel` at once.
export async function pagePut(page, { urls, partSize, parallel, kind, recordTo = null }) {
  return page.evaluate(async ({ urls, partSize, parallel, kind, recordTo }) => {
    const file = document.querySelector('#diag-file').files[0];
    const queue = urls.map((u, i) => ({ u, i }));
    const put = (url, body) =>
      kind === 'fetch'
        ? fetch(url, { method: 'PUT', body }).then((r) => {
            if (!r.ok) throw new Error(`HTTP ${r.status}`);
            return r.headers.get('etag');
          })
        : new Promise((resolve, reject) => {
            const x = new XMLHttpRequest();
            x.open('PUT', url);
            x.upload.onprogress = () => undefined;
            x.onload = () => (x.status < 300 ? resolve(x.getResponseHeader('ETag')) : reject(new Error(`HTTP ${x.status}`)));
            x.onerror = () => reject(new Error('network'));
            x.send(body);
          });
    const t0 = performance.now();
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const body = partSize ? file.slice(job.i * partSize, (job.i + 1) * partSize) : file;
        const etag = await put(job.u, body);
        if (!etag) throw new Error('no ETag');
        if (recordTo) {
          // like the engine: record the ETag with the API before this worker's next part
          const r = await fetch(`${recordTo}/parts/${job.i + 1}`, { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-CSRF': '1' }, body: JSON.stringify({ etag, size: body.size }) });
          if (!r.ok) throw new Error(`record: HTTP ${r.status}`);
        }
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return performance.now() - t0;
  }, { urls, partSize, parallel, kind, recordTo });
}

/** Self time per function (top 20) and total non-idle time of a CDP CPU profile, on stderr. */
export function summarizeProfile(profile, log) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dts = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const f = n.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}:${f.columnNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (dts[i + 1] ?? 0) / 1000);
  }
  const total = [...self].filter(([k]) => !k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
  log(`renderer JS profile: ${total.toFixed(0)} ms non-idle`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) log(`  ${v.toFixed(0).padStart(6)} ms  ${k}`);
}
