// Where `npm test` spends its time: the slowest .NET test classes (from the TRX files `dotnet test` writes) and the
// slowest browser specs (from Playwright's list reporter), so trimming the suite starts from figures.

const SECONDS = { ms: 0.001, s: 1, m: 60 };

/** "00:01:02.5000000" → 62.5 */
function timeSpanSeconds(text) {
  const m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(text);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : 0;
}

/** Seconds per test class, summed over its tests, from the text of TRX files. */
export function classSecondsFromTrx(trxTexts) {
  const totals = new Map();
  for (const text of trxTexts) {
    for (const [tag] of text.matchAll(/<UnitTestResult\b[^>]*>/g)) {
      const name = /\btestName="([^"]*)"/.exec(tag)?.[1];
      const duration = /\bduration="([^"]*)"/.exec(tag)?.[1];
      if (!name || !duration) continue;
      const method = name.replace(/\(.*$/s, '');
      const owner = method.slice(0, method.lastIndexOf('.')) || method;
      totals.set(owner, (totals.get(owner) ?? 0) + timeSpanSeconds(duration));
    }
  }
  return totals;
}

/** Seconds per spec file from Playwright's list reporter output ("✓ 3 e2e/x.spec.ts:12:3 › title (4.2s)"). */
export function specSecondsFromPlaywright(output) {
  const totals = new Map();
  const line = /^\s*[✓✘×-]\s+\d+\s+(?:\[[^\]]*\]\s+›\s+)?(\S+\.spec\.ts):\d+:\d+\s+›.*\((\d+(?:\.\d+)?)(ms|s|m)\)\s*$/gm;
  for (const [, spec, value, unit] of output.matchAll(line)) {
    totals.set(spec, (totals.get(spec) ?? 0) + Number(value) * SECONDS[unit]);
  }
  return totals;
}

/** The `count` largest entries as printable lines, largest first. */
export function slowest(totals, count = 10) {
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, seconds]) => `${seconds.toFixed(1).padStart(7)} s  ${name}`);
}
