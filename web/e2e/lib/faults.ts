// Fault counts for the soak summary, in the format the .NET fault tests write: one line per repetition in
// tests/artifacts/faults.log (FAULTS_LOG overrides), added up per fault by scripts/test.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../scripts/lib/util.mjs';

/** Repetitions of each fault: FAULT_REPEATS, else 5 under SOAK=1 (npm run test:soak), else 1. */
export function faultRepeats(): number {
  const n = Number.parseInt(process.env.FAULT_REPEATS ?? '', 10);
  if (Number.isFinite(n) && n > 0) return n;
  return process.env.SOAK === '1' ? 5 : 1;
}

export interface FaultVerdict {
  recovered: boolean;
  lost: boolean;
  duplicated: boolean;
}

/** Appends one repetition's counts; `null` = the repetition failed before it could judge its upload. */
export function recordFault(fault: string, verdict: FaultVerdict | null): void {
  const n = (b: boolean | undefined) => (b ? 1 : 0);
  const line = `FAULTS ${fault} runs=1 recovered=${n(verdict?.recovered)} lost=${n(verdict?.lost)} duplicated=${n(verdict?.duplicated)} failed=${n(verdict === null)}`;
  process.stderr.write(`${line}\n`);
  const file = process.env.FAULTS_LOG || path.join(repoRoot, 'tests', 'artifacts', 'faults.log');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${line}\n`);
}
