// A small HTTP proxy on 127.0.0.1 in front of the real API. The page is pointed at it, and a test
// decides per request whether it passes, is dropped (socket destroyed, no answer), is delayed, or
// gets a gateway's error page. Streams both ways, so server-sent events pass through too.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'pass' | 'drop' | { delayMs: number } | { status: number };
export type Rule = (req: http.IncomingMessage) => Fault;

export interface FaultProxy {
  url: string;
  /** Replaces the rule; `() => 'pass'` restores normal service. */
  setRule(rule: Rule): void;
  /** How many requests each fault touched since start (pass, drop, delay, status). */
  counts: Record<'pass' | 'drop' | 'delay' | 'status', number>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let rule: Rule = () => 'pass';
  const counts = { pass: 0, drop: 0, delay: 0, status: 0 };
  const sockets = new Set<import('node:net').Socket>();

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    req.pipe(out);
  };

  const server = http.createServer((req, res) => {
    const fault = rule(req);
    if (fault === 'pass') {
      counts.pass++;
      forward(req, res);
    } else if (fault === 'drop') {
      counts.drop++;
      req.socket.destroy();
    } else if ('delayMs' in fault) {
      counts.delay++;
      const timer = setTimeout(() => forward(req, res), fault.delayMs);
      res.on('close', () => clearTimeout(timer));
    } else {
      counts.status++;
      // What a load balancer sends when the API is down: HTML, not problem+json.
      req.resume();
      res.writeHead(fault.status, { 'Content-Type': 'text/html', Connection: 'close' });
      res.end(`<html><body><h1>${fault.status} Bad Gateway</h1></body></html>`);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setRule: (next) => {
      rule = next;
    },
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
