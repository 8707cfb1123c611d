// Private videos with signed playback (issue 22 §1), on the real stack with the nginx CDN: the owner uploads a clip
// as private through the upload form and plays it in our player from token-carrying /p/ URLs; a stranger gets the
// "This video is private" page; a share link plays in a fresh browser, and in Shaka from the share link's DASH URL;
// after the link is revoked the private page is back. Public videos are listed on /explore, unlisted ones are not.
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { makeClip, removeClip } from './lib/clips';
import { ARTIFACTS, stackInfo } from './lib/env';
import { countMediaEvents, healthyPlayer } from './lib/player';
import { openPlayerPage } from './lib/thirdPartyPlayers';
import { logPageErrors, register, shotOnFailure, uniqueEmail, until, uploadReadyClip } from './lib/ui';

test.describe.configure({ mode: 'serial' });

const info = stackInfo();
const CLIP = { seconds: 8, size: '640x360', bitrate: '800k' };
/** Playback:TokenLifetimeMinutes as the test stack runs it (the default). */
const TOKEN_LIFETIME_SECONDS = 240 * 60;
let browser: Browser;
let owner: BrowserContext;
let page: Page;
let videoId: string;
let videoTitle: string;
/** Every URL the owner's page requested. */
const ownerRequests: string[] = [];
let shareUrl: string;

test.beforeAll(async ({ browser: b }: { browser: Browser }) => {
  browser = b;
  owner = await browser.newContext({ baseURL: info.apiUrl });
  page = await owner.newPage();
  logPageErrors(page, 'private');
  await countMediaEvents(page);
  page.on('request', (r) => ownerRequests.push(r.url()));
  logRefusals(page, 'private');
  await register(page, uniqueEmail('private'));
});
test.afterEach(async ({}, testInfo) => shotOnFailure(page, testInfo));
test.afterAll(async () => {
  await owner?.close();
});

/** Refused requests (a 403/404 of media is what these tests are about), so a failing run says which. */
function logRefusals(p: Page, tag: string): void {
  p.on('response', (r) => {
    if (r.status() >= 400 && !/\/api\/v1\/(me|auth\/refresh)$/.test(r.url())) process.stderr.write(`[${tag}] ${r.status()} ${r.request().method()} ${r.url()}\n`);
  });
}

/** A browser nobody signed in to (its own cookies), on the app's origin. */
async function freshPage(tag: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: info.apiUrl });
  const p = await context.newPage();
  logPageErrors(p, tag);
  logRefusals(p, tag);
  await countMediaEvents(p);
  return { context, page: p };
}

/** Our player on `p` shows frames and its clock moves on. */
async function playsInOurPlayer(p: Page): Promise<void> {
  const first = await until('the first frame', async () => {
    const probe = await healthyPlayer(p).catch((e: Error) => {
      if (e.message.startsWith('player error')) throw e;
      return null;
    });
    return probe && probe.readyState >= 2 && probe.videoHeight > 0 && probe.currentTime > 0 ? probe : null;
  }, 60_000);
  await until('currentTime to advance', async () => (await healthyPlayer(p)).currentTime > first.currentTime + 1, 30_000);
}

async function expectPrivatePage(p: Page): Promise<void> {
  await expect(p.getByTestId('video-private')).toBeVisible();
  await expect(p.getByRole('heading', { name: 'This video is private' })).toBeVisible();
  await expect(p.getByTestId('player')).toHaveCount(0);
}

test('the owner uploads a clip as private from the upload form, and it plays in our player from /p/ URLs', async () => {
  await page.goto('/');
  const file = makeClip('e2e-private', CLIP);
  try {
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByLabel(/^Visibility of /).selectOption('private');
    await page.getByLabel(/^Max quality for /).selectOption('360');
    await page.getByRole('button', { name: 'Start upload' }).click();
    videoId = await until('the upload to be created', async () => (await page.getByTestId('upload-item').first().getAttribute('data-video-id')) || null);
    await until('the video to be ready', async () => {
      const v = await (await page.request.get(`/api/v1/videos/${videoId}`)).json();
      if (v.status === 'failed') throw new Error(`processing failed: ${v.lastError}`);
      return v.status === 'ready';
    }, 120_000, 250);
  } finally {
    removeClip(file);
  }
  const video = await (await page.request.get(`/api/v1/videos/${videoId}`)).json();
  expect(video.visibility).toBe('private');
  videoTitle = video.title;
  await expect(page.locator(`[data-testid=video-card][data-video-id="${videoId}"] [data-testid=visibility-badge]`)).toHaveAttribute('data-visibility', 'private');

  // The media moves to the private prefix in the background: the watch answer then signs /p/ URLs.
  await until('the private media', async () => {
    const w = await (await page.request.get(`/api/v1/watch/${videoId}`)).json();
    return typeof w.manifestUrl === 'string' && w.manifestUrl.includes(`/p/`) && w.manifestUrl.includes(`/private/${videoId}/`);
  }, 60_000, 500);

  ownerRequests.length = 0;
  await page.goto(`/watch/${videoId}`);
  await expect(page.getByTestId('visibility-select')).toHaveValue('private');
  await playsInOurPlayer(page);

  const media = ownerRequests.filter((u) => u.includes(`/${videoId}/v`) && !u.includes('/api/v1/videos/'));
  const story = media.join('\n');
  // manifest.json, the init segments and media segments at least, every one through a token path.
  expect(media.filter((u) => /\.(m4s|mp4)(\?|$)/.test(u)).length, story).toBeGreaterThan(1);
  expect(media.some((u) => u.includes('manifest.json')), story).toBe(true);
  for (const u of media) expect(u, story).toMatch(new RegExp(`/p/[^/]+/private/${videoId}/v\\d+/`));
  if (info.cdnUrl) expect(media.every((u) => u.startsWith(info.cdnUrl!)), story).toBe(true);
});

test('the CDN refuses the private media without a valid token', async () => {
  const w = await (await page.request.get(`/api/v1/watch/${videoId}`)).json();
  const manifestUrl: string = w.manifestUrl;
  expect((await page.request.get(manifestUrl)).status()).toBe(200);
  const [expires, viewer] = manifestUrl.match(/\/p\/([^/]+)\//)![1].split('.');
  const forged = manifestUrl.replace(/\/p\/[^/]+\//, `/p/${expires}.${viewer}.AAAAAAAAAAAAAAAAAAAAAA/`);
  expect((await page.request.get(forged)).status()).toBe(403);
  expect((await page.request.get(manifestUrl.replace(/\/p\/[^/]+\//, '/p/'))).status()).toBeGreaterThanOrEqual(400);
});

test("a stranger's fresh browser gets the clear private page, with a way to sign in", async () => {
  const stranger = await freshPage('stranger');
  try {
    const answer = await stranger.page.request.get(`/api/v1/watch/${videoId}`);
    expect(answer.status()).toBe(403);
    expect((await answer.json()).type).toMatch(/video-private$/);

    await stranger.page.goto(`/watch/${videoId}`);
    await expectPrivatePage(stranger.page);
    await expect(stranger.page.getByTestId('private-sign-in')).toHaveAttribute('href', `/login?next=${encodeURIComponent(`/watch/${videoId}`)}`);
    await stranger.page.screenshot({ path: path.join(ARTIFACTS, 'private-video-refused.png') });
    // Not even the title reaches the stranger.
    expect(videoTitle.length).toBeGreaterThan(3);
    await expect(stranger.page.getByText(videoTitle)).toHaveCount(0);
  } finally {
    await stranger.context.close();
  }
});

test('a share link made on the watch page plays in a fresh browser', async () => {
  await page.getByLabel('Share link expires after').selectOption('1d');
  await page.getByRole('button', { name: 'Create share link' }).click();
  const input = page.getByTestId('new-share-link');
  await expect(input).toHaveValue(new RegExp(`/watch/${videoId}\\?share=sh_[A-Za-z0-9_-]+$`));
  shareUrl = await input.inputValue();
  await expect(page.getByTestId('share-link-row')).toHaveCount(1);
  await expect(page.getByTestId('share-link-row').first()).toHaveAttribute('data-state', 'active');
  await page.getByTestId('share-links').screenshot({ path: path.join(ARTIFACTS, 'share-links.png') });

  const guest = await freshPage('share');
  try {
    const { pathname, search } = new URL(shareUrl);
    await guest.page.goto(pathname + search);
    await expect(guest.page.getByTestId('video-private')).toHaveCount(0);
    await playsInOurPlayer(guest.page);
  } finally {
    await guest.context.close();
  }
});

test('a playback token that expires mid-play is renewed by the player, which plays on from a fresh one', async () => {
  const guest = await freshPage('renew');
  try {
    // The CDN is made to refuse the first token's segments, as it would once the token expired: the player must
    // ask the watch API for a fresh answer and continue from its URLs. A fresh token differs only once the server's
    // clock has moved to the next second (tokens name their expiry second), so the refusal waits for that.
    let firstToken: string | null = null;
    let refused = 0;
    await guest.page.route(/\/p\/[^/]+\/private\//, async (route) => {
      const url = route.request().url();
      const token = url.match(/\/p\/([^/]+)\//)![1];
      firstToken ??= token;
      if (token !== firstToken || url.endsWith('manifest.json')) return route.continue();
      const issuedAt = Number(token.split('.')[0]) - TOKEN_LIFETIME_SECONDS;
      await until('the next second on the clock', async () => Date.now() / 1000 > issuedAt + 1.2, 5000, 100);
      refused++;
      return route.fulfill({ status: 403, contentType: 'application/problem+json', body: '{"title":"Invalid playback token"}' });
    });
    const segments: string[] = [];
    guest.page.on('request', (r) => {
      if (/\.m4s$/.test(r.url())) segments.push(r.url());
    });
    const { pathname, search } = new URL(shareUrl);
    await guest.page.goto(pathname + search);
    await playsInOurPlayer(guest.page);
    expect(refused).toBeGreaterThan(0);
    const fresh = segments.filter((u) => !u.includes(`/p/${firstToken}/`));
    expect(fresh.length, segments.join('\n')).toBeGreaterThan(0);
    for (const u of fresh) expect(u).toMatch(new RegExp(`/p/[^/]+/private/${videoId}/v\\d+/`));
  } finally {
    await guest.context.close();
  }
});

test("Shaka plays the private video's DASH MPD from the share link's watch answer", async () => {
  const guest = await freshPage('shaka');
  try {
    const token = new URL(shareUrl).searchParams.get('share')!;
    const w = await (await guest.page.request.get(`/api/v1/watch/${videoId}?share=${encodeURIComponent(token)}`)).json();
    expect(w.dashUrl).toMatch(new RegExp(`/p/[^/]+/private/${videoId}/v\\d+/.*\\.mpd$`));
    await openPlayerPage(guest.page, 'shaka');
    const outcome = await guest.page.evaluate(async (url: string) => {
      const w = window as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const video = document.createElement('video');
      video.muted = true;
      document.body.append(video);
      const errors: string[] = [];
      w.shaka.polyfill.installAll();
      const player = new w.shaka.Player();
      await player.attach(video);
      player.addEventListener('error', (e: { detail?: { code?: number } }) => errors.push(`shaka ${e.detail?.code}`));
      try {
        await player.load(url);
        await video.play();
      } catch (e) {
        errors.push(`load: ${(e as { code?: number }).code ?? String(e)}`);
      }
      const deadline = performance.now() + 30_000;
      while (!errors.length && video.currentTime < 2 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      return { currentTime: video.currentTime, height: video.videoHeight, errors };
    }, w.dashUrl as string);
    expect(outcome.errors).toEqual([]);
    expect(outcome.height).toBeGreaterThan(0);
    expect(outcome.currentTime).toBeGreaterThanOrEqual(2);
  } finally {
    await guest.context.close();
  }
});

test('after the owner revokes the share link, a fresh browser gets the private page again', async () => {
  await page.getByRole('button', { name: /^Revoke the share link/ }).click();
  await expect(page.getByTestId('share-link-row').first()).toHaveAttribute('data-state', 'revoked');

  const guest = await freshPage('revoked');
  try {
    const { pathname, search } = new URL(shareUrl);
    await guest.page.goto(pathname + search);
    await expectPrivatePage(guest.page);
    await expect(guest.page.getByText('expired or was revoked')).toBeVisible();
  } finally {
    await guest.context.close();
  }
});

test('a public video is listed on /explore and an unlisted one is not; both play for anyone with the link', async () => {
  const unlistedId = await uploadReadyClip(page, 'e2e-unlisted', 'Unlisted one', CLIP);
  const publicId = await uploadReadyClip(page, 'e2e-public', 'Public one', CLIP);
  // Made public on its watch page.
  await page.goto(`/watch/${publicId}`);
  await expect(page.getByTestId('visibility-select')).toHaveValue('unlisted');
  await page.getByTestId('visibility-select').selectOption('public');
  await expect(page.getByTestId('visibility-saved')).toBeVisible();
  expect((await (await page.request.get(`/api/v1/videos/${publicId}`)).json()).visibility).toBe('public');

  const guest = await freshPage('explore');
  try {
    await guest.page.goto('/explore');
    await expect(guest.page.getByRole('link', { name: 'Explore' })).toHaveAttribute('aria-current', 'page');
    await expect(guest.page.locator(`[data-testid=explore-card][data-video-id="${publicId}"]`)).toBeVisible();
    await expect(guest.page.locator(`[data-testid=explore-card][data-video-id="${unlistedId}"]`)).toHaveCount(0);
    await expect(guest.page.locator(`[data-testid=explore-card][data-video-id="${videoId}"]`)).toHaveCount(0);

    await guest.page.locator(`[data-testid=explore-card][data-video-id="${publicId}"]`).getByRole('link', { name: 'Public one' }).click();
    await expect(guest.page).toHaveURL(new RegExp(`/watch/${publicId}$`));
    await playsInOurPlayer(guest.page);
    // The owner's panels are the owner's.
    await expect(guest.page.getByTestId('visibility-panel')).toHaveCount(0);
    await expect(guest.page.getByTestId('share-links')).toHaveCount(0);

    await guest.page.goto(`/watch/${unlistedId}`);
    await playsInOurPlayer(guest.page);
    await guest.page.goto(`/watch/00000000-0000-4000-8000-000000000000`);
    await expect(guest.page.getByTestId('video-not-found')).toBeVisible();

    // The owner makes the unlisted one private on its watch page: the same link now gets the private page.
    await page.goto(`/watch/${unlistedId}`);
    await page.getByTestId('visibility-select').selectOption('private');
    await expect(page.getByTestId('visibility-saved')).toBeVisible();
    await guest.page.goto(`/watch/${unlistedId}`);
    await expectPrivatePage(guest.page);
    // And its owner plays it on from the private prefix once the media has moved.
    await until('the moved media', async () => {
      const w = await (await page.request.get(`/api/v1/watch/${unlistedId}`)).json();
      return typeof w.manifestUrl === 'string' && w.manifestUrl.includes(`/private/${unlistedId}/`);
    }, 90_000, 500);
    await page.reload();
    await playsInOurPlayer(page);
  } finally {
    await guest.context.close();
  }
});
