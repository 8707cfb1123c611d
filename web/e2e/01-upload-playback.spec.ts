// The main path a person takes: register → multipart upload with pause, resume, reload and re-pick →
// byte-identical object in storage → the card turns "ready" live → MSE playback (play, seek,
// thumbnail preview, quality switch, ended) → an admin requeues the job.
// The tests share one page and run in order: each needs the state the previous one left.
import fs from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { makeClip, removeClip, sha256, storedSource } from './lib/clips';
import { stackInfo } from './lib/env';
import { logPageErrors, readUpload, register, shot, shotOnFailure, signIn, startUpload, staysPut, throttleUploads, uniqueEmail, until } from './lib/ui';

test.describe.configure({ mode: 'serial' });

const UPLOAD_BYTES_PER_SECOND = 4 * 1024 * 1024; // a 40 MB clip takes ~10 s: room to pause and reload

interface VideoState {
  currentTime: number;
  duration: number;
  paused: boolean;
  ended: boolean;
  readyState: number;
  error: string | null;
  videoHeight: number;
  status: string | null;
  quality: string | null;
  endedEvents: number;
  errorEvents: string[];
}

let context: BrowserContext;
let page: Page;
let clip: string;
let clipBytes: Buffer;
let videoId: string;
let navigationsAfterRepick = 0;
const info = stackInfo();

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  // Noise keeps x264 at the bitrate: ~40 MB for 20 s, 8 parts of 5 MiB.
  clip = makeClip('e2e-clip', { seconds: 20, size: '1280x720', bitrate: '16M' });
  clipBytes = fs.readFileSync(clip);
  context = await browser.newContext({ baseURL: info.apiUrl });
  page = await context.newPage();
  logPageErrors(page, 'main');
});
test.afterEach(async ({}, testInfo) => shotOnFailure(page, testInfo));
test.afterAll(async () => {
  await context?.close();
  if (clip) removeClip(clip);
});

const videoState = (): Promise<VideoState | null> =>
  page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid=player] video');
    const player = document.querySelector('[data-testid=player]');
    const w = window as unknown as { __sfEnded?: number; __sfErrors?: string[] };
    return v && {
      currentTime: v.currentTime, duration: v.duration, paused: v.paused, ended: v.ended, readyState: v.readyState,
      error: v.error ? `${v.error.code} ${v.error.message}` : null, videoHeight: v.videoHeight,
      status: player?.getAttribute('data-status') ?? null, quality: player?.getAttribute('data-quality') ?? null,
      endedEvents: w.__sfEnded ?? 0, errorEvents: w.__sfErrors ?? [],
    };
  });
const playing = async (): Promise<VideoState> => {
  const st = await videoState();
  if (!st) throw new Error('no video element');
  if (st.status === 'error' || st.error) throw new Error(`player error: ${st.error ?? 'see the page'}`);
  return st;
};
const card = () => page.locator(`[data-testid=video-card][data-video-id="${videoId}"]`);

test('a new user registers and sees an empty library', async () => {
  await register(page, uniqueEmail('main'));
  await expect(page.getByText('No videos yet')).toBeVisible();
  await shot(page, 'library-empty');
});

test('a multipart upload survives pause, resume, reload and re-pick', async () => {
  let partsBeforeReload = 0;
  let partCount = 0;

  await test.step('the upload starts as multipart', async () => {
    await throttleUploads(page, UPLOAD_BYTES_PER_SECOND);
    await startUpload(page, clip);
    const state = await until('upload progress', async () => {
      const s = await readUpload(page);
      return s?.status === 'uploading' && s.progress > 0 ? s : null;
    });
    expect(state.videoId, 'video id on the upload item').toBeTruthy();
    expect(state.partCount, 'parts of 5 MiB (Uploads__PartSizeBytes)').toBeGreaterThanOrEqual(8);
    videoId = state.videoId!;
    await shot(page, 'uploader');
  });

  await test.step('pause stops the transfer', async () => {
    await until('10% uploaded', async () => ((await readUpload(page))?.progress ?? 0) >= 10, 60_000);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('upload-item').first()).toHaveAttribute('data-status', 'paused', { timeout: 10_000 });
    await expect(page.getByTestId('upload-status').first()).toContainText('Paused');
    const before = (await readUpload(page))!.progress;
    await staysPut(async () => { expect((await readUpload(page))!.progress, 'progress while paused').toBe(before); }, 1500);
  });

  await test.step('resume continues', async () => {
    const before = (await readUpload(page))!.progress;
    await page.getByRole('button', { name: 'Resume' }).click();
    await until('progress after resume', async () => {
      const s = await readUpload(page);
      return s?.status === 'uploading' && s.progress > before;
    }, 60_000);
  });

  await test.step('a reload mid-upload lists the pending upload', async () => {
    const s = await until('half of the parts recorded', async () => {
      const x = await readUpload(page);
      if (!x) return null;
      const half = Math.max(1, Math.floor(x.partCount / 2));
      return x.partsDone >= half && x.partsDone < x.partCount && x.status === 'uploading' ? x : null;
    }, 120_000, 100);
    partsBeforeReload = s.partsDone;
    partCount = s.partCount;
    page.once('dialog', (d) => void d.accept()); // the "leave page?" prompt while uploading
    await page.reload();
    await expect(page.getByTestId('upload-item').first()).toHaveAttribute('data-status', 'needs_file');
    await expect(page.getByText('pick the same file again', { exact: false }).first()).toBeVisible();
  });

  await test.step('re-picking the file continues from the recorded parts', async () => {
    await throttleUploads(page, UPLOAD_BYTES_PER_SECOND);
    const partPuts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().includes('partNumber=')) partPuts.push(new URL(r.url()).searchParams.get('partNumber')!);
    });
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigationsAfterRepick++;
    });
    await page.locator('input[type=file]').setInputFiles(clip);
    const first = await until('upload resumed', async () => {
      const s = await readUpload(page);
      return s && ['uploading', 'completing', 'done'].includes(s.status ?? '') ? s : null;
    });
    expect(first.videoId, 'resumed into the same video').toBe(videoId);
    await expect(page.getByTestId('upload-item').first()).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    const resent = new Set(partPuts);
    expect(resent.size, `parts sent after re-pick (${partsBeforeReload} of ${partCount} were recorded)`).toBeLessThanOrEqual(partCount - partsBeforeReload);
  });
});

test('the stored object is byte-identical to the file', async () => {
  const stored = await storedSource(info.s3, videoId);
  expect(stored.length).toBe(clipBytes.length);
  expect(sha256(stored)).toBe(sha256(clipBytes));
});

test('the card turns ready live, without a reload', async () => {
  await expect(card()).toBeVisible({ timeout: 30_000 });
  await expect(card()).toHaveAttribute('data-status', 'ready', { timeout: 150_000 });
  expect(navigationsAfterRepick, 'page navigations since the re-pick').toBe(0);
  await expect(page.getByTestId('toast').filter({ hasText: 'ready' }).first()).toBeVisible({ timeout: 10_000 });
  await shot(page, 'library', true);
});

test('MSE playback: play, seek, thumbnails, quality switch, ended', async () => {
  await test.step('the player starts and time advances without media errors', async () => {
    await card().getByRole('link', { name: 'Watch' }).click();
    await page.waitForURL(`**/watch/${videoId}`);
    await page.locator('[data-testid=player] video').waitFor();
    await page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid=player] video')!;
      const w = window as unknown as { __sfEnded: number; __sfErrors: string[] };
      w.__sfEnded = 0;
      w.__sfErrors = [];
      v.addEventListener('ended', () => (w.__sfEnded += 1));
      v.addEventListener('error', () => w.__sfErrors.push(v.error?.message ?? String(v.error?.code)));
    });
    const s = await until('currentTime > 1.5', async () => {
      const st = await playing();
      return st.currentTime > 1.5 ? st : null;
    });
    expect(s.errorEvents).toEqual([]);
    await shot(page, 'player');
  });

  await test.step('a seek to 75% resumes playback there', async () => {
    const box = await page.getByTestId('seekbar').boundingBox();
    expect(box, 'seek bar').toBeTruthy();
    const before = await playing();
    const target = before.duration * 0.75;
    expect(before.currentTime, 'far enough from 75% for the seek to prove something').toBeLessThan(target - 3);
    await page.mouse.click(box!.x + box!.width * 0.75, box!.y + box!.height / 2);
    // Within 5 s (playing there unseeked would take longer), and playing again afterwards.
    const at = await until('currentTime near 75%', async () => {
      const st = await playing();
      return st.currentTime >= target - 1 && !st.paused ? st : null;
    }, 5_000);
    await until('playback after the seek', async () => {
      const st = await playing();
      return st.currentTime > at.currentTime + 0.5 || st.ended;
    }, 15_000);
  });

  await test.step('hovering the seek bar shows a thumbnail from the sprite', async () => {
    const box = (await page.getByTestId('seekbar').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    const preview = page.getByTestId('thumb-preview');
    await expect(preview).toBeVisible({ timeout: 5000 });
    expect(await preview.evaluate((el) => getComputedStyle(el).backgroundImage)).toMatch(/sprite/);
    await shot(page, 'player-thumbnail');
    await page.mouse.move(box.x + box.width / 2, box.y - 200); // leave the bar
  });

  await test.step('switching quality keeps playing in the chosen rendition', async () => {
    // 75% of a 20 s clip is inside the last segments, where a switch has nothing left to apply to:
    // go back to 25% first so the next segments come from the chosen rendition and show.
    const { duration } = await playing();
    await page.evaluate((t) => {
      document.querySelector<HTMLVideoElement>('[data-testid=player] video')!.currentTime = t;
    }, duration * 0.25);
    await until('playing at 25%', async () => {
      const st = await playing();
      return st.currentTime >= duration * 0.25 && st.currentTime < duration * 0.5 && !st.paused && st.readyState >= 3;
    }, 10_000);
    const quality = page.locator('select[aria-label=Quality]');
    const options = await quality.locator('option').evaluateAll((els) =>
      (els as HTMLOptionElement[]).filter((e) => e.value !== 'auto').map((e) => ({ value: e.value, label: e.textContent ?? '' })),
    );
    expect(options.length, 'renditions in the quality menu').toBeGreaterThanOrEqual(1);
    const before = await playing();
    const choice = options.find((o) => o.value !== before.quality) ?? options[0]!;
    await quality.selectOption(choice.value);
    const shown = await until(`rendition ${choice.label} on screen`, async () => {
      const st = await playing();
      return st.quality === choice.value && st.videoHeight === parseInt(choice.label, 10) ? st : null;
    }, 20_000);
    expect(shown.currentTime, 'playback continued after the switch').toBeGreaterThan(before.currentTime);
  });

  await test.step('playing to the end fires ended', async () => {
    await until('ended', async () => {
      const st = await playing();
      return st.ended && st.endedEvents > 0;
    }, 60_000);
    expect((await playing()).errorEvents).toEqual([]);
  });
});

test('an admin sees the job and requeues it', async ({ browser }) => {
  const adminContext = await browser.newContext({ baseURL: info.apiUrl });
  const admin = await adminContext.newPage();
  try {
    logPageErrors(admin, 'admin');
    await signIn(admin, info.env.Auth__AdminEmail!, info.env.Auth__AdminPassword!);
    await admin.goto('/admin/jobs');
    await admin.getByTestId('stat-succeeded').click();
    const row = admin.locator(`[data-testid=job-row][data-video-id="${videoId}"]`);
    await expect(row).toBeVisible();
    await shot(admin, 'admin-jobs');
    await row.getByRole('button', { name: /^Requeue/ }).click();
    await expect(admin.getByTestId('toast').filter({ hasText: 'Requeued 1 job' })).toBeVisible({ timeout: 10_000 });
    // The requeued job runs again: a second attempt appears in its history.
    await admin.goto(`/admin/jobs/${videoId}`);
    const detail = admin.getByTestId('job-detail');
    await expect(detail).toBeVisible();
    await expect.poll(() => detail.locator('tbody tr').count(), { timeout: 120_000, intervals: [1000] }).toBeGreaterThanOrEqual(2);
  } catch (error) {
    await shot(admin, 'failure-admin');
    throw error;
  } finally {
    await adminContext.close();
  }
});
