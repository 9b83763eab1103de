/**
 * Which processes of a process group are still alive, read from /proc on Linux. kill(-pgid, 0) would also
 * count zombies: a grandchild orphaned by the shell lingers as a zombie until PID 1 reaps it, which in some
 * containers takes a second or more.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  /** R, S, D, Z, T, … */
  state: string;
  /** User + system CPU time, in clock ticks. */
  cpuTicks: number;
  /** The same for its children that exited and were waited for. */
  childCpuTicks: number;
  /** Resident set size, in pages. */
  rssPages: number;
}

/** Parses /proc/<pid>/stat; the command name may contain spaces and parentheses, so split after the last ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state) of proc(5).
  const field = (n: number) => Number(fields[n - 3]);
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: field(4),
    pgrp: field(5),
    cpuTicks: field(14) + field(15),
    childCpuTicks: field(16) + field(17),
    rssPages: field(24),
  };
}

/** Every process on the machine, or undefined where there is no /proc. */
export function readAllProcesses(): ProcStat[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const stats: ProcStat[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (stat) stats.push(stat);
    } catch {
      // Gone between readdir and read.
    }
  }
  return stats;
}

/** Whether any live (non-zombie) process is left in the group. */
export function groupAlive(pgid: number): boolean {
  const all = readAllProcesses();
  if (all) return all.some((p) => p.pgrp === pgid && p.state !== 'Z' && p.state !== 'X');
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
