import { Emitter } from '../lib/emitter';
import { ApiError, problemFromBody } from './errors';

/**
 * The one place that talks HTTP to our API. Cookie auth (credentials: 'include'), the CSRF
 * header on every state-changing request, problem+json → ApiError, and one transparent
 * refresh-and-retry on 401 so a long upload never dies with its 15-minute access token.
 * With a `credential` (an upload link's token) it sends `Authorization: Bearer …` instead: no
 * cookies, no CSRF header (a third party's page may not preflight it), nothing to refresh.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  /** A body sent as is (a caption file), instead of `body` as JSON. */
  raw?: { data: Blob | string; contentType: string };
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
}

export interface ApiClientEvents extends Record<string, unknown> {
  sessionExpired: ApiError;
}

type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

/** Auth endpoints answer 401 for wrong credentials: never try to refresh for them. */
const NO_REFRESH_PATHS = ['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/auth/refresh', '/api/v1/auth/logout'];

export class ApiClient {
  readonly events = new Emitter<ApiClientEvents>();
  private refreshing: Promise<boolean> | null = null;

  constructor(
    private readonly baseUrl = '',
    private readonly fetchFn: FetchFn = (input, init) => fetch(input, init),
    private readonly credential: (() => string | null) | null = null,
  ) {}

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }
  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = void>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 401 && !this.credential && !NO_REFRESH_PATHS.includes(path)) {
      if (await this.refreshOnce()) {
        return this.parse<T>(await this.send(method, path, options));
      }
      const expired = await this.toError(response);
      this.events.emit('sessionExpired', expired);
      throw expired;
    }
    return this.parse<T>(response);
  }

  /** Single-flight: parallel 401s (4 parts in flight) share one refresh call. */
  private refreshOnce(): Promise<boolean> {
    if (!this.refreshing) {
      const refresh = () => this.send('POST', '/api/v1/auth/refresh', {}).then((r) => r.ok);
      // Tabs share the refresh cookie, and the server treats a token presented after its rotation as stolen
      // (every session ends). Two tabs refreshing at once would look exactly like that, so tabs take turns
      // through the Web Locks API; the second then sends the cookie the first one received.
      const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
      // lib.dom types the lock's result as the callback's return type (a promise here); `then` flattens it.
      const flight: Promise<boolean> = (locks ? locks.request('streamforge-refresh', refresh).then((ok) => ok) : refresh())
        .catch(() => false)
        .finally(() => {
          this.refreshing = null;
        });
      this.refreshing = flight;
      return flight;
    }
    return this.refreshing;
  }

  private async send(method: HttpMethod, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
    const credential = this.credential?.() ?? null;
    if (credential) headers['Authorization'] = `Bearer ${credential}`;
    // Cookie-authenticated state changes need the custom header (CSRF defence, docs/api.md).
    else if (method !== 'GET') headers['X-CSRF'] = '1';
    let body: Blob | string | undefined;
    if (options.raw) {
      headers['Content-Type'] = options.raw.contentType;
      body = options.raw.data;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    try {
      return await this.fetchFn(this.baseUrl + path + queryString(options.query), {
        method,
        headers,
        body,
        credentials: this.credential ? 'omit' : 'include',
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'Network error', 'The server could not be reached. Check your connection.');
    }
  }

  private async parse<T>(response: Response): Promise<T> {
    if (!response.ok) throw await this.toError(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async toError(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    return problemFromBody(response.status, response.headers.get('Content-Type'), text);
  }
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
