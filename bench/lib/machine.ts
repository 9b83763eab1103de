/**
 * Was the machine busy with something else during a measurement? Reads the machine's CPU time and every
 * process's from /proc before and after: what the machine spent beyond this process tree (including the
 * children it has reaped) is someone else's, and the processes still alive that used most of it are named.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcessCpu {
  ppid: number;
  command: string;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

export interface CpuSnapshot {
  atMs: number;
  /** Busy CPU time of the whole machine (all cores), clock ticks. */
  machineTicks: number;
  /** This process's reaped children's CPU time (cutime + cstime), clock ticks. */
  reapedTicks: number;
  processes: Map<number, ProcessCpu>;
}

/** Linux's USER_HZ: /proc reports CPU time in these. */
const TICKS_PER_SECOND = 100;
/** Others using less than this share of one core leave the figures undisturbed. */
const QUIET_PERCENT = 10;

/** Fields after "(comm) " of a /proc/<pid>/stat line, which starts "pid (comm) state ppid …". */
const statFields = (stat: string): string[] => stat.slice(stat.lastIndexOf(')') + 2).split(' ');

export function takeCpuSnapshot(): CpuSnapshot {
  const processes = new Map<number, ProcessCpu>();
  // "cpu user nice system idle iowait irq softirq steal …"
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const machineTicks = cpu[0]! + cpu[1]! + cpu[2]! + cpu[5]! + cpu[6]! + cpu[7]!;
  const own = statFields(readFileSync('/proc/self/stat', 'utf8'));
  const reapedTicks = Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm may hold spaces and parentheses: it ends at the last ')'.
      const fields = statFields(stat);
      processes.set(Number(entry), {
        ppid: Number(fields[1]),
        command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // The process ended while we looked.
    }
  }
  return { atMs: performance.now(), machineTicks, reapedTicks, processes };
}

export interface BusyProcess {
  pid: number;
  command: string;
  /** Share of one core over the interval, in percent. */
  cpuPercent: number;
}

export interface OtherCpuUse {
  /** CPU the machine spent outside this process tree, in percent of one core (200% = both of 2 cores). */
  cpuPercent: number;
  /** The live processes outside the tree that used more than the threshold. */
  busy: BusyProcess[];
}

export function otherCpuUse(before: CpuSnapshot, after: CpuSnapshot, thresholdPercent = 10): OtherCpuUse {
  // This process's tree: its descendants, and its ancestors (npx, the tsx launcher) up to the shell.
  const ancestors = new Set<number>();
  for (let p = process.pid, hops = 0; p > 1 && hops < 64; hops++) {
    const command = after.processes.get(p)?.command ?? '';
    if (/^(ba|da)?sh$/.test(command)) break;
    ancestors.add(p);
    p = after.processes.get(p)?.ppid ?? 0;
  }
  const ours = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (ancestors.has(p)) return true;
      p = after.processes.get(p)?.ppid ?? before.processes.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const percentOf = (ticks: number) => (100 * ticks) / TICKS_PER_SECOND / ((after.atMs - before.atMs) / 1000);
  let ourTicks = after.reapedTicks - before.reapedTicks;
  const busy: BusyProcess[] = [];
  for (const [pid, now] of after.processes) {
    const used = now.ticks - (before.processes.get(pid)?.ticks ?? 0);
    if (ours(pid)) {
      ourTicks += used;
      continue;
    }
    const cpuPercent = percentOf(used);
    if (cpuPercent > thresholdPercent) busy.push({ pid, command: now.command, cpuPercent });
  }
  // Our children that exited but were not yet reaped by the last snapshot are lost, so clamp at zero.
  const other = Math.max(0, after.machineTicks - before.machineTicks - ourTicks);
  return { cpuPercent: percentOf(other), busy: busy.sort((a, b) => b.cpuPercent - a.cpuPercent) };
}

/** "others 3% of a core: quiet", or "others 85% of a core: BUSY (vitest[123] 80%)". */
export function describeMachine(before: CpuSnapshot, after: CpuSnapshot): string {
  const { cpuPercent, busy } = otherCpuUse(before, after);
  const quiet = cpuPercent < QUIET_PERCENT;
  const names = busy.map((b) => `${b.command}[${b.pid}] ${b.cpuPercent.toFixed(0)}%`).join(', ');
  return `others ${cpuPercent.toFixed(0)}% of a core: ${quiet ? 'quiet' : `BUSY${names ? ` (${names})` : ''}`}`;
}

/** Waits, up to `maxWaitMs`, for a second in which others use less than 10% of a core. */
export async function waitForQuiet(maxWaitMs = 60_000): Promise<boolean> {
  const deadline = performance.now() + maxWaitMs;
  while (performance.now() < deadline) {
    const before = takeCpuSnapshot();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (otherCpuUse(before, takeCpuSnapshot()).cpuPercent < QUIET_PERCENT) return true;
  }
  return false;
}

export interface QuietMeasurement<T> {
  result: T;
  /** How the machine was during the attempt kept, as describeMachine says it. */
  machine: string;
  quiet: boolean;
  attempts: number;
}

/**
 * Runs `measure` on a quiet machine: waits for quiet first, and measures again (up to `attempts` times in
 * all) when something else used the CPU meanwhile. Keeps the last attempt, marked, if it never was quiet.
 */
export async function measureQuietly<T>(
  measure: () => Promise<T>,
  attempts = 3,
): Promise<QuietMeasurement<T>> {
  for (let attempt = 1; ; attempt++) {
    await waitForQuiet();
    const before = takeCpuSnapshot();
    const result = await measure();
    const after = takeCpuSnapshot();
    const quiet = otherCpuUse(before, after).cpuPercent < QUIET_PERCENT;
    if (quiet || attempt === attempts) {
      return { result, machine: describeMachine(before, after), quiet, attempts: attempt };
    }
  }
}
