// Webhooks from Settings, the way an integrator sets one up on the local stack (which allows receivers on 127.0.0.1):
// a URL that is not http(s) gets the server's reason; an endpoint added for video.created shows its secret once; an
// upload started afterwards reaches a real receiver, signed with that secret; the endpoint's deliveries list it as
// delivered with the receiver's code, and Resend sends the same delivery again.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { stackInfo } from './lib/env';
import { logPageErrors, register, shotOnFailure, uniqueEmail, until } from './lib/ui';

interface Received { headers: http.IncomingHttpHeaders; body: Buffer }

test.afterEach(async ({ page }, testInfo) => shotOnFailure(page, testInfo));

test('add a webhook in Settings → signed delivery to a real receiver → deliveries → resend', async ({ browser }) => {
  const received: Received[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const context = await browser.newContext({ baseURL: stackInfo().apiUrl });
  const page = await context.newPage();
  logPageErrors(page, 'webhooks');
  try {
    await register(page, uniqueEmail('webhooks'));
    await page.getByRole('link', { name: 'Settings' }).click();
    const panel = page.getByTestId('webhooks-panel');
    await expect(panel).toContainText('No endpoints yet');

    await panel.getByLabel('Endpoint URL').fill('ftp://example.com/hook');
    await panel.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(panel.getByTestId('webhooks-error')).toContainText('http');

    await panel.getByLabel('Endpoint URL').fill(url);
    for (const event of ['video.ready', 'video.failed']) await panel.getByLabel(event).uncheck();
    await panel.getByLabel('video.created').check();
    await panel.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await panel.getByTestId('webhook-secret').locator('code').textContent())!.trim();
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    await expect(panel.getByTestId('webhook')).toHaveAttribute('data-url', url);
    await panel.getByRole('button', { name: 'Done' }).click();
    await expect(panel.getByTestId('webhook-secret')).toHaveCount(0);
    await page.reload();
    await expect(panel.getByTestId('webhook')).toContainText('video.created');
    await expect(panel).not.toContainText(secret);

    // An upload started through the API with the page's session: its video.created goes to the receiver.
    const created = await page.request.post('/api/v1/uploads', { headers: { 'x-csrf': '1' }, data: { fileName: 'hooked.mp4', size: 1000, contentType: 'video/mp4' } });
    expect(created.status()).toBe(201);
    const { videoId } = await created.json();
    const first = await until('the video.created delivery', async () => received[0], 30_000, 200);
    expect(first.headers['streamforge-event']).toBe('video.created');
    const [t, v1] = String(first.headers['streamforge-signature']).split(',').map((p) => p.split('=')[1]);
    expect(crypto.createHmac('sha256', secret).update(`${t}.`).update(first.body).digest('hex')).toBe(v1);
    expect(JSON.parse(first.body.toString()).data.id).toBe(videoId);

    await panel.getByRole('button', { name: 'Deliveries' }).click();
    const row = panel.getByTestId('webhook-delivery');
    await until('the delivery to show as delivered', async () => {
      await panel.getByRole('button', { name: 'Refresh' }).click();
      return (await row.getAttribute('data-status')) === 'delivered';
    }, 20_000, 250);
    await expect(row).toContainText('204');
    await row.getByRole('button', { name: 'Resend' }).click();
    const second = await until('the resent delivery', async () => received[1], 30_000, 200);
    expect(second.headers['streamforge-delivery']).toBe(first.headers['streamforge-delivery']);
    expect(second.body.equals(first.body)).toBe(true);

    await panel.getByRole('button', { name: `Delete webhook ${url}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(panel).toContainText('No endpoints yet');
  } finally {
    await context.close();
    receiver.close();
  }
});
