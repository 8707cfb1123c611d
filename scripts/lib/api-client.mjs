// A small JSON client for the StreamForge API used by tooling (benches, smoke checks): keeps both the
// bearer token from login and the session cookies (the SPA's way in), so either style of test works.
export function apiClient(baseUrl, { timeoutMs = 30_000 } = {}) {
  let token = null;
  const jar = new Map();
  const cookieHeader = () => [...jar].filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join('; ');
  /** Throws on non-2xx (with the problem body) unless the status is in `expect`. */
  const call = async (method, p, body, { expect, headers = {} } = {}) => {
    const res = await fetch(baseUrl + p, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(jar.size ? { cookie: cookieHeader(), 'x-csrf': '1' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [pair] = c.split(';');
      const [name, ...rest] = pair.split('=');
      jar.set(name.trim(), rest.join('='));
    }
    const text = await res.text();
    if (!res.ok && !(expect && expect.includes(res.status))) throw new Error(`${method} ${p} → ${res.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    call,
    baseUrl,
    get token() { return token; },
    get cookieHeader() { return cookieHeader(); },
    async login(email, password) {
      const r = await call('POST', '/api/v1/auth/login', { email, password });
      token = r?.accessToken ?? null;
      return r;
    },
  };
}

/**
 * The signed-in user's video events from GET /api/v1/events, the stream the SPA listens to: lets a caller wait
 * for a status without polling the API (polling every 100 ms costs the API CPU the job being measured needs).
 * until(predicate, timeoutMs) resolves { event, at } with the first matching event's receive time.
 */
export async function videoEvents(baseUrl, token) {
  const abort = new AbortController();
  const res = await fetch(baseUrl + '/api/v1/events', {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (!res.ok) throw new Error(`GET /api/v1/events → ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const waiters = new Set();
  let opened;
  const open = new Promise((resolve) => { opened = resolve; });
  const pump = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, '\n');
      for (let end; (end = buffer.indexOf('\n\n')) >= 0;) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: ?(.*)$/m.exec(block)?.[1];
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
        if (type === 'ready') opened();
        if (type === 'video' && data) {
          const event = JSON.parse(data);
          for (const w of waiters) w(event, Date.now());
        }
      }
    }
  })().catch((e) => { if (!abort.signal.aborted) for (const w of waiters) w.fail(e); });
  await open;
  return {
    until(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const done = (fn, value) => { clearTimeout(timer); waiters.delete(waiter); fn(value); };
        const waiter = (event, at) => { if (predicate(event)) done(resolve, { event, at }); };
        waiter.fail = (e) => done(reject, new Error(`the event stream broke: ${e.message}`));
        const timer = setTimeout(() => done(reject, new Error(`no matching video event within ${timeoutMs / 1000} s`)), timeoutMs);
        waiters.add(waiter);
      });
    },
    async close() { abort.abort(); await pump; },
  };
}
