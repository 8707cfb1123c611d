// The benches' view of the tooling library in scripts/lib: everything they import from here lives
// there (one implementation for benches, smoke checks and the browser test), re-exported under the
// names the bench scripts use.
import { startStack as startLauncher } from '../../../scripts/lib/stack-client.mjs';

export { repoRoot, sleep, log, which } from '../../../scripts/lib/util.mjs';
export { onCleanup, runCleanups, runMain, tempDir, run } from '../../../scripts/lib/cleanup.mjs';
export { dotnetLockBusy, stackProcesses } from '../../../scripts/lib/stack-client.mjs';
export { apiClient, videoEvents } from '../../../scripts/lib/api-client.mjs';
export {
  CLK_TCK, childPids, pidsMatching, cpuSeconds, cpuWithChildren, childrenCpuSeconds, machineCpu, procStatusKb, loadavg, waitQuiet,
} from '../../../scripts/lib/machine.mjs';
export { argv, cmdline, comm, resetPeakRss } from '../../../scripts/lib/proc.mjs';
export { percentile, fmt, pass } from '../../../scripts/lib/figures.mjs';

/**
 * `node scripts/stack.mjs --ephemeral --stdin-lifetime --quiet <args>` with extraEnv on top of ours; its stderr
 * goes to logFile. Resolves { info, pid, stop(), logTail(), exited() }; throws (with the log tail) if it does not come up.
 */
export function startStack({ args = [], ...rest }) {
  return startLauncher({ args: ['--quiet', ...args], ...rest });
}
export { startLoadSampler, treeCpuSeconds } from '../../../scripts/lib/bench-load.mjs';
