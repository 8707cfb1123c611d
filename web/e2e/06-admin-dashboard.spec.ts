// The admin overview: the key figures of GET /api/v1/admin/stats (queue, workers, open uploads, the
// last day's jobs) and the global storage total with the largest accounts, as the API reports them;
// and the job detail and worker list render the API's shapes ({job, attempts}, workers without a capacity).
import fs from 'node:fs';
import { expect, request as requests, test, type APIRequestContext, type Page } from '@playwright/test';
import { makeClip, removeClip } from './lib/clips';
import { stackInfo } from './lib/env';
import { logPageErrors, PASSWORD, shot, signIn, uniqueEmail, until } from './lib/ui';

const info = stackInfo();
test.use({ baseURL: info.apiUrl });

interface Stats {
  storageUsedBytes: number;
  queue: { waiting: number; oldestWaitSeconds: number; running: number };
  workers: { online: number; busy: number };
  uploads: { active: number; bytes: number };
  succeededLastDay: number;
  failedLastDay: number;
  topStorageUsers: { email: string; storageUsedBytes: number }[];
}

/** Each user gets its own request context: a second register on a context holding cookies would be a cookie request without the CSRF header. */
async function registerWithToken(tag: string): Promise<{ email: string; headers: Record<string, string>; request: APIRequestContext }> {
  const request = await requests.newContext({ baseURL: info.apiUrl });
  const email = uniqueEmail(tag);
  const registered = await request.post('/api/v1/auth/register', { data: { email, password: PASSWORD } });
  expect(registered.status()).toBe(201);
  return { email, headers: { authorization: `Bearer ${(await registered.json()).accessToken}` }, request };
}

/** What the overview shows, read from its data attributes. */
async function shownFigures(page: Page) {
  const value = async (id: string) => Number(await page.getByTestId(`figure-${id}`).getAttribute('data-value'));
  return {
    storageUsedBytes: await value('storage-total'),
    waiting: await value('queue-waiting'),
    running: await value('jobs-running'),
    busy: await value('workers-busy'),
    uploads: await value('uploads-active'),
    succeeded: await value('jobs-succeeded'),
    failed: await value('jobs-failed'),
    top: await page.getByTestId('top-storage-user').evaluateAll((rows) =>
      rows.map((r) => ({ email: r.getAttribute('data-email') ?? '', storageUsedBytes: Number(r.getAttribute('data-bytes')) })),
    ),
  };
}

test('an admin sees the key figures and the storage total as the API reports them', async ({ page }) => {
  logPageErrors(page, 'admin-dashboard');
  // One finished video (a job with history) and one upload left open (an active session with reserved bytes).
  const owner = await registerWithToken('dash-owner');
  const { request } = owner;
  const clip = makeClip('e2e-dash', { seconds: 4, size: '640x360', bitrate: '1M' });
  let videoId: string;
  try {
    const bytes = fs.readFileSync(clip);
    const created = await request.post('/api/v1/uploads', {
      headers: owner.headers, data: { fileName: 'dash.mp4', size: bytes.length, contentType: 'video/mp4', title: 'Dashboard clip', maxQuality: 360 },
    });
    expect(created.status()).toBe(201);
    const upload = await created.json();
    expect((await request.put(upload.url, { data: bytes, headers: { 'content-type': 'video/mp4' } })).ok()).toBe(true);
    expect((await request.post(`/api/v1/uploads/${upload.videoId}/complete`, { headers: owner.headers })).status()).toBe(202);
    videoId = upload.videoId;
  } finally {
    removeClip(clip);
  }
  const pending = await registerWithToken('dash-pending');
  const openBytes = 12_000_000;
  expect((await pending.request.post('/api/v1/uploads', {
    headers: pending.headers, data: { fileName: 'open.mp4', size: openBytes, contentType: 'video/mp4', title: 'Still uploading' },
  })).status()).toBe(201);

  await signIn(page, info.env.Auth__AdminEmail!, info.env.Auth__AdminPassword!);
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');

  const adminStats = async (): Promise<Stats> => {
    const r = await page.request.get('/api/v1/admin/stats');
    expect(r.status()).toBe(200);
    return r.json();
  };
  await test.step('the figures match GET /admin/stats once the job has run', async () => {
    // The page polls every 5 s: wait until what it shows is what the API says now, with our job finished.
    const { shown, api } = await until('figures equal to the API', async () => {
      const api = await adminStats();
      const shown = await shownFigures(page).catch(() => null);
      if (!shown || api.succeededLastDay < 1) return null;
      const same = shown.storageUsedBytes === api.storageUsedBytes && shown.waiting === api.queue.waiting && shown.running === api.queue.running
        && shown.busy === api.workers.busy && shown.uploads === api.uploads.active && shown.succeeded === api.succeededLastDay
        && shown.failed === api.failedLastDay && JSON.stringify(shown.top) === JSON.stringify(api.topStorageUsers.map((u) => ({ email: u.email, storageUsedBytes: u.storageUsedBytes })));
      return same ? { shown, api } : null;
    }, 120_000, 500);
    expect(api.workers.online, 'the stack runs one worker').toBeGreaterThanOrEqual(1);
    expect(shown.uploads, 'the open upload').toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('figure-workers-busy')).toContainText(`/ ${api.workers.online}`);
  });

  await test.step('the storage total is the sum over users, the largest accounts listed', async () => {
    const users = (await (await page.request.get('/api/v1/admin/users')).json()) as { email: string; storageUsedBytes: number }[];
    const total = users.reduce((sum, u) => sum + u.storageUsedBytes, 0);
    await expect(page.getByTestId('figure-storage-total')).toHaveAttribute('data-value', String(total));
    const largest = [...users].filter((u) => u.storageUsedBytes > 0).sort((a, b) => b.storageUsedBytes - a.storageUsedBytes)[0]!;
    await expect(page.getByTestId('top-storage-user').first()).toHaveAttribute('data-bytes', String(largest.storageUsedBytes));
    await expect(page.locator(`[data-testid=top-storage-user][data-email="${pending.email}"]`)).toHaveAttribute('data-bytes', String(openBytes));
    await shot(page, 'admin-dashboard', true);
  });

  await test.step('job detail and workers render the API shapes', async () => {
    await page.goto(`/admin/jobs/${videoId}`);
    const detail = page.getByTestId('job-detail');
    await expect(detail.getByTestId('job-facts')).toHaveAttribute('data-state', 'succeeded');
    await expect(detail.getByRole('heading', { name: 'Job Dashboard clip' })).toBeVisible();
    await expect(detail.getByText(owner.email)).toBeVisible();
    await expect(detail.locator('tbody tr')).toHaveCount(1);
    await expect(detail.locator('tbody tr').first()).toContainText('succeeded');
    const workers = page.getByTestId('workers-table');
    await expect(workers.getByTestId('worker-row').first()).toBeVisible();
    await expect(workers).not.toContainText('undefined');
    await expect(workers).not.toContainText('NaN');
  });
});
