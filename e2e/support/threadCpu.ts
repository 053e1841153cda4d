/**
 * CPU time of the browser's renderer threads, from Linux's /proc: what a drop costs on each
 * thread, whatever else the shared machine runs (issue 12, item 10). Wall-clock figures on the
 * 2-core development machine swing with the other jobs; a thread's CPU time swings far less.
 *
 * Threads are grouped by what they run: `worker` (DedicatedWorker threads: the TDoA/inference
 * worker and the map's workers), `v8pool` (V8's background threads: optimising compilers,
 * concurrent garbage collection), `main` (the page's main thread) and `other`. Only renderers
 * started by this process count. Elsewhere than Linux every figure is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export type ThreadCpuMs = Partial<Record<'worker' | 'v8pool' | 'main' | 'other', number>>;

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICK_MS = 10;

function statFields(path: string): { name: string; fields: string[] } | undefined {
  try {
    const st = readFileSync(path, 'utf8');
    const close = st.lastIndexOf(')');
    return {
      name: st.slice(st.indexOf('(') + 1, close),
      fields: st.slice(close + 2).split(' '),
    };
  } catch {
    return undefined; // the thread or process ended meanwhile
  }
}

/** Whether `pid` descends from this process (a few levels: browser, zygote, renderer). */
function ours(pid: string): boolean {
  let q = pid;
  for (let k = 0; k < 6 && q !== '0' && q !== '1'; k++) {
    if (q === String(process.pid)) return true;
    q = statFields(`/proc/${q}/stat`)?.fields[1] ?? '0';
  }
  return false;
}

function groupOf(name: string, isMain: boolean): keyof ThreadCpuMs {
  if (name.startsWith('DedicatedWorker')) return 'worker';
  if (name.startsWith('V8 ') || name.startsWith('ThreadPool')) return 'v8pool';
  return isMain ? 'main' : 'other';
}

/** The CPU milliseconds each group of this process's renderer threads has used so far. */
export function rendererCpuMs(): ThreadCpuMs {
  const out: ThreadCpuMs = {};
  if (!existsSync('/proc/self/stat')) return out;
  for (const pid of readdirSync('/proc').filter((d) => /^[0-9]+$/.test(d))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('--type=renderer') || !ours(pid)) continue;
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const st = statFields(`/proc/${pid}/task/${tid}/stat`);
      if (!st) continue;
      const group = groupOf(st.name, tid === pid);
      const ms = (Number(st.fields[11]) + Number(st.fields[12])) * TICK_MS;
      out[group] = (out[group] ?? 0) + ms;
    }
  }
  return out;
}

/** after - before, per group. */
export function cpuSince(before: ThreadCpuMs, after: ThreadCpuMs): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) out[k] = v - (before[k as keyof ThreadCpuMs] ?? 0);
  return out;
}
