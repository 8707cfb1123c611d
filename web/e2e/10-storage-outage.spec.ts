// Storage fails under a running upload. The local S3 server is real: its processes (children of the
// stack launcher, found through /proc) are first frozen with SIGSTOP, then killed, and the launcher
// starts the S3 server again on the same port over the same folder, as an operator restarting it would.
// The uploader must show the failure, and resume into a byte-identical object once storage is back.
// Repeated FAULT_REPEATS times (5 under SOAK=1); each repetition records its counts (lib/faults.ts).
import fs from 'node:fs';
import net from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { makeClip, removeClip, sha256, storedSource } from './lib/clips';
import { stackControl, stackInfo, stackPid } from './lib/env';
import { faultRepeats, recordFault, type FaultVerdict } from './lib/faults';
import { findProcesses, isStopped, signal } from './lib/procs';
import { logPageErrors, readUpload, register, shot, startUpload, throttleUploads, settled, staysPut, uniqueEmail, until } from './lib/ui';

const info = stackInfo();
const s3Port = Number(new URL(info.s3.endpoint).port);
test.use({ baseURL: info.apiUrl });

/** Whether something accepts TCP connections on the S3 port. */
const listening = () =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(s3Port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

for (let repetition = 1; repetition <= faultRepeats(); repetition++) {
test(`an upload survives storage hanging, then crashing and coming back (#${repetition})`, async ({ page }: { page: Page }) => {
  logPageErrors(page, 'storage');
  // ~60 MB: 12 parts of 5 MiB at 4 MiB/s, sent 4 at a time, so they complete in three batches about
  // 5 s apart: the hang lands on the second batch, the crash on the third.
  const clip = makeClip('e2e-storage', { seconds: 15, size: '1280x720', bitrate: '32M' });
  let frozen: number[] = [];
  let crashed = false;
  let verdict: FaultVerdict | null = null;
  try {
    const s3 = findProcesses(stackPid(), 's3-process.mjs').map((p) => p.pid);
    await register(page, uniqueEmail(`storage-${repetition}`));
    await throttleUploads(page, 4 * 1024 * 1024);
    await startUpload(page, clip, 360);
    const item = page.getByTestId('upload-item').first();
    const first = await until('the first batch of parts recorded', async () => {
      const s = await readUpload(page);
      return s && s.status === 'uploading' && s.partsDone >= 1 && s.partsDone <= s.partCount - 8 ? s : null;
    }, 60_000, 100);
    const videoId = first.videoId!;

    await test.step('storage hangs (SIGSTOP): no part completes, nothing fails', async () => {
      frozen = s3;
      signal(frozen, 'SIGSTOP');
      await until('s3rver processes stopped', async () => frozen.every(isStopped), 5000, 50);
      // Parts already answered may still be recorded with the API: let that settle first.
      const still = await settled('recorded parts', async () => (await readUpload(page))!, (s) => s.partsDone);
      await staysPut(async () => {
        const s = (await readUpload(page))!;
        expect(s.partsDone, 'parts completed while storage is frozen').toBe(still.partsDone);
        expect(s.status, 'a hang is not a failure').toBe('uploading');
      }, 2000);
      signal(frozen, 'SIGCONT');
      frozen = [];
      await until('a part completes after SIGCONT', async () => (await readUpload(page))!.partsDone > still.partsDone, 30_000, 100);
    });

    await test.step('storage crashes (SIGKILL): the uploader shows the failure and offers Resume', async () => {
      const before = (await readUpload(page))!;
      expect(before.partsDone, 'parts left to send when storage dies').toBeLessThan(before.partCount);
      signal(s3, 'SIGKILL');
      crashed = true;
      // With its last s3rver process gone, the launcher closes the shared socket: connections are refused.
      await until('the S3 port to refuse connections', async () => !(await listening()), 10_000, 100);
      await expect(item).toHaveAttribute('data-status', 'error', { timeout: 60_000 });
      await expect(item.getByRole('alert')).toContainText(/Part \d+ could not be sent: network error after 3 retries\./);
      await expect(item.getByTestId('upload-status')).toContainText('Failed');
      await expect(item.getByRole('button', { name: 'Resume' })).toBeVisible();
      await shot(page, 'storage-down');
    });

    await test.step('storage restarts on the same port and folder; Resume finishes the upload', async () => {
      await stackControl('s3/start');
      crashed = false;
      expect(await listening()).toBe(true);
      await item.getByRole('button', { name: 'Resume' }).click();
      await expect(item).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
      await expect(item.getByRole('alert')).toHaveCount(0);
      expect((await readUpload(page))!.videoId, 'resumed into the same video').toBe(videoId);
    });

    await test.step('the stored object is byte-identical and the video gets processed', async () => {
      const stored = await storedSource(info.s3, videoId);
      const identical = stored.length === fs.statSync(clip).size && sha256(stored) === sha256(fs.readFileSync(clip));
      const videos = (await (await page.request.get('/api/v1/videos?page=1&pageSize=50')).json()).items as { id: string }[];
      verdict = { recovered: identical, lost: !identical, duplicated: videos.length !== 1 };
      expect(stored.length).toBe(fs.statSync(clip).size);
      expect(sha256(stored)).toBe(sha256(fs.readFileSync(clip)));
      expect(videos.map((v) => v.id), 'one video for the file').toEqual([videoId]);
      await expect
        .poll(async () => (await (await page.request.get(`/api/v1/videos/${videoId}`)).json()).status, { timeout: 90_000 })
        .toBe('ready');
      await expect(page.locator(`[data-testid=video-card][data-video-id="${videoId}"]`)).toHaveAttribute('data-status', 'ready');
    });
  } finally {
    recordFault('s3-down-upload', verdict);
    if (frozen.length) signal(frozen, 'SIGCONT');
    // A failed step must not leave the next repetition (or spec) without storage.
    if (crashed) await stackControl('s3/start');
    removeClip(clip);
  }
});
}
