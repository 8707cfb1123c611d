// Linux /proc, read one way for every script, benchmark and browser-test helper: which processes exist, their
// parent, state, CPU ticks, command line, open files and memory. Readers of one process return null (or '')
// when it has exited meanwhile, so callers walking the process table need no try/catch of their own.
import fs from 'node:fs';

export const CLK_TCK = 100; // Linux USER_HZ

/** Every live pid. */
export function pids() {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

/**
 * /proc/<pid>/stat: { pid, comm, state, ppid, utime, stime, cutime, cstime } (times in seconds), or null.
 * comm may hold spaces and parentheses, so the fixed fields are read after the last ')'.
 */
export function stat(pid) {
  let text;
  try { text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return null; }
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid: pid === 'self' ? Number(text.slice(0, text.indexOf(' '))) : Number(pid),
    comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
    state: f[0],
    ppid: Number(f[1]),
    utime: Number(f[11]) / CLK_TCK, stime: Number(f[12]) / CLK_TCK,
    cutime: Number(f[13]) / CLK_TCK, cstime: Number(f[14]) / CLK_TCK,
  };
}

/** The arguments of a process ([] when it has exited or is a kernel thread). */
export function argv(pid) {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1); } catch { return []; }
}

/** The command line as one string, arguments separated by spaces ('' when gone). */
export const cmdline = (pid) => argv(pid).join(' ');

/** The executable's short name (/proc/<pid>/comm), or null. */
export function comm(pid) {
  try { return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return null; }
}

/** Open descriptors of a process ('self' for ours): [{ fd, target }]; [] when gone or not ours to read. */
export function openFiles(pid) {
  let fds;
  try { fds = fs.readdirSync(`/proc/${pid}/fd`); } catch { return []; }
  const out = [];
  for (const fd of fds) {
    try { out.push({ fd: Number(fd), target: fs.readlinkSync(`/proc/${pid}/fd/${fd}`) }); } catch { /* closed meanwhile */ }
  }
  return out;
}

/** Fields of /proc/<pid>/status in kB (e.g. VmRSS, VmHWM); throws when the process is gone. */
export function statusKb(pid, ...keys) {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const out = {};
  for (const k of keys) { const m = text.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm')); out[k] = m ? Number(m[1]) : null; }
  return out;
}

/** Resets VmHWM (peak RSS) of a process to its current RSS, to measure the peak of what follows. */
export function resetPeakRss(pid) {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Machine-wide busy and total CPU seconds (all cores) from /proc/stat. */
export function machineCpu() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0) / CLK_TCK;
  const idle = (f[3] + f[4]) / CLK_TCK;
  return { busy: total - idle, total };
}

/** The 1, 5 and 15 minute load averages as /proc/loadavg writes them. */
export const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
