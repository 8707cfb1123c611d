// The API process is killed (SIGKILL, through the launcher that owns it) while the browser sends a multipart
// upload, and started again on the same port a few seconds later. Parts go straight to storage, but every part
// is signed and recorded through the API: the uploader must ride out the outage (its own retries, or the user's
// Resume once it gave up) and finish into one byte-identical object, with no second video for the same file.
// Repeated FAULT_REPEATS times (5 under SOAK=1); each repetition records its counts (lib/faults.ts).
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { makeClip, removeClip, sha256, storedSource } from './lib/clips';
import { stackControl, stackInfo } from './lib/env';
import { faultRepeats, recordFault, type FaultVerdict } from './lib/faults';
import { logPageErrors, readUpload, register, shot, startUpload, throttleUploads, uniqueEmail, until } from './lib/ui';

const info = stackInfo();
test.use({ baseURL: info.apiUrl });

/** Whether the API answers its readiness probe. */
const apiUp = async () => {
  try {
    return (await fetch(`${info.apiUrl}/health/ready`)).ok;
  } catch {
    return false;
  }
};

for (let repetition = 1; repetition <= faultRepeats(); repetition++) {
  test(`an upload survives the API being killed and restarted (#${repetition})`, async ({ page }: { page: Page }) => {
    logPageErrors(page, 'api-killed');
    // ~30 MB: 6 parts of 5 MiB at 3 MiB/s, 4 at a time: the kill lands while parts are still to be signed and recorded.
    const clip = makeClip('e2e-api-killed', { seconds: 8, size: '1280x720', bitrate: '30M' });
    let verdict: FaultVerdict | null = null;
    let killed = false;
    try {
      await register(page, uniqueEmail(`api-killed-${repetition}`));
      await throttleUploads(page, 3 * 1024 * 1024);
      await startUpload(page, clip, 360);
      const item = page.getByTestId('upload-item').first();
      const first = await until('the first part recorded', async () => {
        const s = await readUpload(page);
        return s && s.status === 'uploading' && s.partsDone >= 1 && s.partsDone < s.partCount ? s : null;
      }, 60_000, 100);
      const videoId = first.videoId!;

      await test.step('kill -9 the API mid-upload', async () => {
        await stackControl('api/kill');
        killed = true;
        expect(await apiUp(), 'the API is gone').toBe(false);
        // The browser meets the dead API: no part gets recorded while it is down.
        const stuck = (await readUpload(page))!;
        expect(stuck.status === 'done', 'the upload cannot complete without the API').toBe(false);
        await shot(page, `api-killed-${repetition}`);
      });

      let resumedByUser = false;
      await test.step('the API comes back on the same port; the uploader finishes', async () => {
        await stackControl('api/start');
        killed = false;
        expect(await apiUp()).toBe(true);
        // Either its own backoff outlasted the outage, or it gave up and offers Resume (what a user would press).
        const status = await until('the upload to finish or to offer Resume', async () => {
          const s = (await readUpload(page))!;
          return s.status === 'done' || s.status === 'error' ? s.status : null;
        }, 90_000, 200);
        if (status === 'error') {
          resumedByUser = true;
          await item.getByRole('button', { name: 'Resume' }).click();
        }
        await expect(item).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
        expect((await readUpload(page))!.videoId, 'resumed into the same video').toBe(videoId);
        process.stderr.write(`[api-killed #${repetition}] finished ${resumedByUser ? 'after Resume' : 'on its own retries'}\n`);
      });

      await test.step('one video, its object byte-identical, and it gets processed', async () => {
        const stored = await storedSource(info.s3, videoId);
        const identical = stored.length === fs.statSync(clip).size && sha256(stored) === sha256(fs.readFileSync(clip));
        const list = await (await page.request.get('/api/v1/videos?page=1&pageSize=50')).json();
        const videos = list.items as { id: string; status: string }[];
        verdict = { recovered: identical, lost: !identical, duplicated: videos.length !== 1 };
        expect(identical, 'the stored object equals the file').toBe(true);
        expect(videos.map((v) => v.id)).toEqual([videoId]);
        await expect
          .poll(async () => (await (await page.request.get(`/api/v1/videos/${videoId}`)).json()).status, { timeout: 90_000 })
          .toBe('ready');
      });
    } finally {
      recordFault('kill-api-upload', verdict);
      // A failed step must not leave the next spec without an API.
      if (killed) await stackControl('api/start');
      removeClip(clip);
    }
  });
}
