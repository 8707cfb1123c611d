// A counting HTTP forward proxy for the resume bench: Chromium sends every request through it, so the bench
// sees, on its own clock, each request's method, target, when its first body byte arrived and how many body
// bytes it carried, including those of a request cut off by a reload. That is "bytes sent" measured the
// same way for S3 part PUTs and tus PATCHes, which the pages' own progress events cannot give (the events
// of the last ~50 ms before a reload are lost with the page). The Host header is passed on unchanged, so
// presigned URLs stay valid.
import http from 'node:http';

const HOP_BY_HOP = ['proxy-connection', 'proxy-authorization', 'connection', 'keep-alive'];

/** Starts the proxy on 127.0.0.1; resolves { url, requests, onBody(fn), close() }. */
export async function startCountingProxy() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const requests = [];
  let listener = null;
  const server = http.createServer((req, res) => {
    let target;
    try {
      target = new URL(req.url);
    } catch {
      res.writeHead(400).end('absolute URL expected (forward proxy)');
      return;
    }
    const rec = { method: req.method, host: target.host, path: target.pathname, t0: performance.now(), tFirst: null, bytes: 0, status: null, aborted: false };
    requests.push(rec);
    const headers = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    const upstream = http.request({ hostname: target.hostname, port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers, agent }, (r) => {
      rec.status = r.statusCode;
      const out = { ...r.headers };
      for (const h of HOP_BY_HOP) delete out[h];
      res.writeHead(r.statusCode, r.statusMessage, out);
      r.pipe(res);
    });
    req.on('data', (chunk) => {
      rec.tFirst ??= performance.now();
      rec.bytes += chunk.length;
      listener?.(rec, chunk.length);
    });
    const cut = () => { rec.aborted = true; upstream.destroy(); };
    req.on('aborted', cut);
    res.on('close', () => { if (!res.writableFinished) cut(); });
    upstream.on('error', () => { rec.aborted = true; res.destroy(); });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    /** fn(rec, n) for every body chunk that arrives (null to stop). */
    onBody(fn) { listener = fn; },
    close() {
      agent.destroy();
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
