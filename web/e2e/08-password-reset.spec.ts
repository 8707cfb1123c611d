// Forgot password, the way a person does it on the local stack: ask for the mail on the login page, open it in
// the dev outbox (/dev/outbox, the folder the stack writes mails to), follow its link, choose a new password,
// and sign in with it; the old password no longer works.
import { expect, test } from '@playwright/test';
import { stackInfo } from './lib/env';
import { PASSWORD, logPageErrors, register, shotOnFailure, signIn, uniqueEmail, until } from './lib/ui';

const NEW_PASSWORD = 'e2e-new-password-456';

test.afterEach(async ({ page }, testInfo) => shotOnFailure(page, testInfo));

test('forgot password → mail in the dev outbox → new password → sign in with it', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: stackInfo().apiUrl });
  const page = await context.newPage();
  logPageErrors(page, 'reset');
  const email = uniqueEmail('reset');
  await register(page, email);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Mail me a link' }).click();
  await expect(page.getByTestId('reset-requested')).toContainText('Check your mail');

  // The mail is written after the answer: reload the outbox until its row shows.
  const row = page.getByRole('row').filter({ hasText: email });
  await until('the reset mail in /dev/outbox', async () => {
    await page.goto('/dev/outbox');
    return (await row.count()) > 0;
  }, 20_000, 250);
  await expect(row).toContainText('Reset your StreamForge password');
  await row.getByRole('link', { name: 'html' }).click();
  await page.getByRole('link', { name: 'Choose a new password' }).click();

  await expect(page).toHaveURL(/\/reset-password\?token=/);
  await page.getByLabel(/^New password/).fill(NEW_PASSWORD);
  await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByTestId('reset-done')).toBeVisible();

  // The link was single use.
  await page.reload();
  await page.getByLabel(/^New password/).fill('yet-another-password');
  await page.getByLabel('Repeat the new password').fill('yet-another-password');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('alert')).toContainText('already used');

  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong email or password');
  await signIn(page, email, NEW_PASSWORD);
  await context.close();
});
