// Finds the stack's processes under the launcher's pid through /proc (scripts/lib/proc.mjs), and signals them:
// the fault tests pause or stop real processes instead of faking their failures.
import { cmdline, pids, stat } from '../../../scripts/lib/proc.mjs';

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
}

function readProc(pid: number): Proc | null {
  const s = stat(pid);
  return s ? { pid, ppid: s.ppid, cmdline: cmdline(pid) } : null; // null: exited meanwhile
}

/** Every live descendant of `root`. */
export function descendants(root: number): Proc[] {
  const all = pids().map((pid: number) => readProc(pid)).filter((p: Proc | null): p is Proc => p !== null);
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(root);
  return out;
}

/** Descendants of `root` whose command line contains `marker`; throws when there are none. */
export function findProcesses(root: number, marker: string): Proc[] {
  const found = descendants(root).filter((p) => p.cmdline.includes(marker));
  if (found.length === 0) throw new Error(`no process matching "${marker}" under pid ${root}`);
  return found;
}

/** The process and everything below it (a worker and its ffmpeg), parents first. */
export function tree(pid: number): number[] {
  return [pid, ...descendants(pid).map((p) => p.pid)];
}

export function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

export function isStopped(pid: number): boolean {
  return stat(pid)?.state === 'T';
}
