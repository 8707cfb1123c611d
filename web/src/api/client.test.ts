import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from './client';
import { ApiError, problemFromBody } from './errors';

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

describe('ApiClient', () => {
  it('sends cookies and the CSRF header on non-GET requests only', async () => {
    const calls: RequestInit[] = [];
    const client = new ApiClient('', async (_url, init) => {
      calls.push(init);
      return json(200, { ok: true });
    });
    await client.get('/api/v1/me');
    await client.post('/api/v1/uploads', { a: 1 });
    expect(calls[0]?.credentials).toBe('include');
    expect((calls[0]?.headers as Record<string, string>)['X-CSRF']).toBeUndefined();
    expect((calls[1]?.headers as Record<string, string>)['X-CSRF']).toBe('1');
    expect(calls[1]?.body).toBe('{"a":1}');
  });

  it('parses problem+json into a readable ApiError', async () => {
    const client = new ApiClient('', async () =>
      json(400, { title: 'Validation failed', status: 400, detail: 'The upload is invalid.', errors: { size: ['Too large'] } }, 'application/problem+json'),
    );
    const error = await client.post('/api/v1/uploads', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.errors).toEqual({ size: ['Too large'] });
    expect(apiError.message).toBe('Validation failed: The upload is invalid. (size: Too large)');
  });

  it('refreshes once on 401 and retries the request', async () => {
    const urls: string[] = [];
    let authed = false;
    const client = new ApiClient('', async (url) => {
      urls.push(url);
      if (url === '/api/v1/auth/refresh') {
        authed = true;
        return json(200, { accessToken: 'x' });
      }
      return authed ? json(200, { id: 'u1' }) : json(401, { title: 'Unauthorized' });
    });
    await expect(client.get('/api/v1/me')).resolves.toEqual({ id: 'u1' });
    expect(urls).toEqual(['/api/v1/me', '/api/v1/auth/refresh', '/api/v1/me']);
  });

  it('shares one refresh between parallel 401s and emits sessionExpired when it fails', async () => {
    let refreshCalls = 0;
    const client = new ApiClient('', async (url) => {
      if (url === '/api/v1/auth/refresh') {
        refreshCalls++;
        await new Promise((r) => setTimeout(r, 5));
        return json(401, { title: 'Unauthorized' });
      }
      return json(401, { title: 'Unauthorized' });
    });
    const expired = vi.fn();
    client.events.on('sessionExpired', expired);
    const results = await Promise.allSettled([client.get('/a'), client.get('/b')]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(refreshCalls).toBe(1);
    expect(expired).toHaveBeenCalledTimes(2);
  });

  it('does not refresh for a failed login', async () => {
    const urls: string[] = [];
    const client = new ApiClient('', async (url) => {
      urls.push(url);
      return json(401, { title: 'Invalid email or password' });
    });
    await expect(client.post('/api/v1/auth/login', {})).rejects.toThrow('Invalid email or password');
    expect(urls).toEqual(['/api/v1/auth/login']);
  });

  it('turns a network failure and a non-JSON 502 into ApiErrors', async () => {
    const down = new ApiClient('', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(down.get('/x')).rejects.toMatchObject({ status: 0, title: 'Network error' });
    expect(problemFromBody(502, 'text/html', '<html>').message).toBe('Server unreachable');
  });

  it('returns undefined for 204', async () => {
    const client = new ApiClient('', async () => new Response(null, { status: 204 }));
    await expect(client.delete('/x')).resolves.toBeUndefined();
  });
});
