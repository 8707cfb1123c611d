// The worker stops mid-transcode: its process (and its ffmpeg) get SIGSTOP, as a machine that
// freezes or a debugger would do. The video must stay "processing" with its progress frozen, in the
// library and in the API, and finish on its own once the worker gets SIGCONT.
import { expect, test, type Page } from '@playwright/test';
import { makeClip, removeClip } from './lib/clips';
import { stackInfo, stackPid } from './lib/env';
import { findProcesses, isStopped, signal, tree } from './lib/procs';
import { logPageErrors, readUpload, register, shot, startUpload, settled, staysPut, uniqueEmail, until } from './lib/ui';

const info = stackInfo();
test.use({ baseURL: info.apiUrl });

test('a paused worker leaves the video processing with progress frozen, then it finishes', async ({ page }: { page: Page }) => {
  logPageErrors(page, 'worker');
  // 30 s of 720p: three renditions, long enough to catch the transcode half-way.
  const clip = makeClip('e2e-worker', { seconds: 30, size: '1280x720', bitrate: '2M' });
  let stopped: number[] = [];
  try {
    const [worker] = findProcesses(stackPid(), 'StreamForge.Worker.dll');
    await register(page, uniqueEmail('worker'));
    await startUpload(page, clip);
    await expect(page.getByTestId('upload-item').first()).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    const videoId = (await readUpload(page))!.videoId!;
    const card = page.locator(`[data-testid=video-card][data-video-id="${videoId}"]`);
    const cardProgress = async () => Number(await card.getByRole('progressbar').getAttribute('aria-valuenow'));
    const apiVideo = async () => (await (await page.request.get(`${info.apiUrl}/api/v1/videos/${videoId}`)).json()) as { status: string; progress: number };

    await test.step('SIGSTOP the worker while the transcode is under way', async () => {
      await until('processing progress on the card', async () => {
        if ((await card.getAttribute('data-status')) !== 'processing') return false;
        const p = await cardProgress();
        return p > 0 && p < 80;
      }, 90_000, 100);
      stopped = tree(worker!.pid);
      signal(stopped, 'SIGSTOP');
      // The kernel applies the stop asynchronously: wait for every process to show state T.
      await until('worker and ffmpeg stopped', async () => stopped.every(isStopped), 5000, 50);
      expect(stopped.length, 'the worker and its ffmpeg').toBeGreaterThanOrEqual(2);
    });

    await test.step('the video stays processing, its progress frozen', async () => {
      // Let whatever was published before the stop arrive, then watch that nothing moves for 3 s.
      const still = await settled('progress', apiVideo, (v) => v.progress);
      expect(still.status).toBe('processing');
      const shown = await cardProgress();
      await staysPut(async () => {
        await expect(card).toHaveAttribute('data-status', 'processing');
        expect(await cardProgress(), 'progress on the card').toBe(shown);
        expect((await apiVideo()).progress, 'progress in the API').toBe(still.progress);
      }, 3000, 500);
      expect(shown, 'the card shows what the API has').toBe(Math.round(still.progress));
      await card.scrollIntoViewIfNeeded();
      await shot(page, 'worker-paused');
    });

    await test.step('SIGCONT: the video finishes and plays', async () => {
      signal(stopped, 'SIGCONT');
      stopped = [];
      await expect(card).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
      expect((await apiVideo()).status).toBe('ready');
      await expect(card.getByRole('link', { name: 'Watch' })).toBeVisible();
    });
  } finally {
    if (stopped.length) signal(stopped, 'SIGCONT'); // never leave the stack frozen for the next test
    removeClip(clip);
  }
});
