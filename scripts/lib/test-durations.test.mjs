import test from 'node:test';
import assert from 'node:assert/strict';
import { classSecondsFromTrx, specSecondsFromPlaywright, slowest } from './test-durations.mjs';

test('TRX results add up per class, whatever the attribute order and theory arguments', () => {
  const trx = `<Results>
    <UnitTestResult executionId="a" testName="StreamForge.Tests.Uploads.UploadTests.Resumes" duration="00:00:12.5000000" outcome="Passed" />
    <UnitTestResult duration="00:01:00.0000000" testName="StreamForge.Tests.Uploads.UploadTests.Rejects(size: 1.5)" outcome="Passed"></UnitTestResult>
    <UnitTestResult testName="StreamForge.Tests.Media.LadderTests.Plans" duration="00:00:00.2500000" />
  </Results>`;
  const totals = classSecondsFromTrx([trx, trx]);
  assert.equal(totals.get('StreamForge.Tests.Uploads.UploadTests'), 145);
  assert.equal(totals.get('StreamForge.Tests.Media.LadderTests'), 0.5);
  assert.deepEqual(slowest(totals, 1), ['  145.0 s  StreamForge.Tests.Uploads.UploadTests']);
});

test('Playwright list lines add up per spec, with or without a project, in ms, s or m', () => {
  const output = [
    '  ✓  1 [chromium] › e2e/01-upload.spec.ts:10:3 › uploads and plays (12.5s)',
    '  ✓  2 e2e/01-upload.spec.ts:40:3 › resumes (1.5m)',
    '  ✘  3 e2e/05-hls.spec.ts:8:3 › plays (850ms)',
    'Running 3 tests using 1 worker',
    '  3 passed (2.0m)',
  ].join('\n');
  const totals = specSecondsFromPlaywright(output);
  assert.equal(totals.get('e2e/01-upload.spec.ts'), 102.5);
  assert.equal(totals.get('e2e/05-hls.spec.ts'), 0.85);
  assert.equal(totals.size, 2);
});
