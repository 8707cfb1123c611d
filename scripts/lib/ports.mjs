// Free ports from the OS (listen on port 0), or checks that a fixed port is free.
import net from 'node:net';

const handedOut = new Set();

function tryListen(port) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const { port: actual } = srv.address();
      srv.close(() => resolve(actual));
    });
  });
}

/** A port on 127.0.0.1 that the OS just reported free (never the same one twice per process). */
export async function freePort() {
  for (let i = 0; i < 20; i++) {
    const port = await tryListen(0);
    if (!handedOut.has(port)) { handedOut.add(port); return port; }
  }
  throw new Error('could not find a free port');
}

/** Throws a readable error when a fixed port is already taken on 127.0.0.1. */
export async function assertPortFree(port, what) {
  try { await tryListen(port); } catch (e) {
    throw new Error(`${what}: port 127.0.0.1:${port} is not free (${e.code || e.message}); stop whatever uses it or choose another port`);
  }
  return port;
}

/** Resolves the port to use: the fixed one (checked) or a free one. */
export async function pickPort(fixed, what) {
  return fixed ? assertPortFree(Number(fixed), what) : freePort();
}
