// API keys from Settings, the way an account owner does it: make a key with one scope, copy it (shown once), use it
// from the page's own fetch as a program would (bearer, no cookies), see its last use, revoke it, and the key is refused.
import { expect, test } from '@playwright/test';
import { stackInfo } from './lib/env';
import { logPageErrors, register, shotOnFailure, uniqueEmail, until } from './lib/ui';

test.afterEach(async ({ page }, testInfo) => shotOnFailure(page, testInfo));

test('create a key in Settings → list videos with it → revoke → refused', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: stackInfo().apiUrl });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  logPageErrors(page, 'keys');
  await register(page, uniqueEmail('keys'));

  await page.getByRole('link', { name: 'Settings' }).click();
  const panel = page.getByTestId('api-keys-panel');
  await expect(panel.getByText('No API keys yet.')).toBeVisible();
  await panel.getByTestId('api-key-name').fill('e2e script');
  // videos:read is ticked by default; add nothing else.
  await expect(panel.getByTestId('api-key-scope-videos:read')).toBeChecked();
  await panel.getByRole('button', { name: 'Create key' }).click();

  const created = panel.getByTestId('api-key-created');
  await expect(created).toContainText('shown this once');
  const key = await panel.getByTestId('api-key-secret').inputValue();
  expect(key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
  await created.getByRole('button', { name: 'Copy' }).click();
  await expect(created.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  const row = panel.getByTestId('api-key-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(key.slice(0, 11));
  await expect(row).toContainText('videos:read');
  await expect(row).toContainText('never');
  // The secret is nowhere in the list.
  await created.getByRole('button', { name: 'Done' }).click();
  expect(await panel.textContent()).not.toContain(key);

  // As a program: a bearer key, no cookies sent.
  const call = (method: string, path: string, body?: unknown) =>
    page.evaluate(async ({ method, path, key, body }) => {
      const headers: Record<string, string> = { authorization: `Bearer ${key}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const r = await fetch(path, { method, credentials: 'omit', headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.status, body: await r.text() };
    }, { method, path, key, body });
  const list = await call('GET', '/api/v1/videos');
  expect(list.status).toBe(200);
  expect(JSON.parse(list.body)).toHaveProperty('items');
  const refused = await call('POST', '/api/v1/uploads', { fileName: 'a.mp4', size: 1000, contentType: 'video/mp4' });
  expect(refused.status).toBe(403);
  expect(refused.body).toContain('uploads:write');

  await until('the key\'s last use in the list', async () => {
    await page.reload();
    return !(await panel.getByTestId('api-key-row').textContent())?.includes('never');
  }, 10_000, 250);
  await expect(panel.getByTestId('api-key-row')).toContainText('just now');

  await panel.getByRole('button', { name: 'Revoke e2e script' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
  await expect(panel.getByText('No API keys yet.')).toBeVisible();
  expect((await call('GET', '/api/v1/videos')).status).toBe(401);
  await context.close();
});
