/**
 * What the service costs while an endpoint is measured: resident memory and CPU time of its whole process
 * tree, sampled from /proc. CPU is a cumulative counter (ticks in /proc/<pid>/stat, or the cgroup's
 * cpu.stat usage_usec when the service has a cgroup of its own), never an instantaneous percentage,
 * which jitters in containers.
 */
import { readFileSync } from 'node:fs';
import { readAllProcesses, type ProcStat } from './process-group.js';

/** USER_HZ: the unit of the CPU times in /proc/<pid>/stat; 100 on every mainstream Linux architecture. */
const TICKS_PER_SECOND = 100;

export interface ResourceUsage {
  rssStartBytes: number;
  rssEndBytes: number;
  rssPeakBytes: number;
  /** rssEndBytes - rssStartBytes. */
  rssGrowthBytes: number;
  cpuSeconds: number;
  /** Where the CPU figure came from. */
  cpuSource: 'cgroup' | 'proc';
  samples: number;
}

export interface ResourceSample {
  rssBytes: number;
  cpuSeconds: number;
}

/** The processes of the service: its process group and every descendant of its leader. */
export function serviceProcesses(all: ProcStat[], leaderPid: number): ProcStat[] {
  const members = new Set<number>();
  for (const p of all) if (p.pgrp === leaderPid || p.pid === leaderPid) members.add(p.pid);
  // Descendants that moved to a group of their own (setsid) still belong to the service.
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!members.has(p.pid) && members.has(p.ppid)) {
        members.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => members.has(p.pid) && p.state !== 'Z');
}

function rssBytesOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function cgroupOf(pid: number | 'self'): string | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('0::'));
    return line?.slice(3);
  } catch {
    return undefined;
  }
}

/** The service's cgroup v2 cpu.stat, when it has a cgroup of its own (not the gate's). */
export function ownCgroupCpuStat(leaderPid: number): string | undefined {
  const own = cgroupOf(leaderPid);
  if (!own || own === cgroupOf('self')) return undefined;
  const file = `/sys/fs/cgroup${own}/cpu.stat`;
  try {
    readFileSync(file, 'utf8');
    return file;
  } catch {
    return undefined;
  }
}

/** One reading of the service tree; undefined where /proc cannot be read. */
export function sampleResources(leaderPid: number, cgroupCpuStat?: string): ResourceSample | undefined {
  const all = readAllProcesses();
  if (!all) return undefined;
  const processes = serviceProcesses(all, leaderPid);
  let rssBytes = 0;
  let ticks = 0;
  for (const p of processes) {
    rssBytes += rssBytesOf(p.pid);
    // Own time plus that of reaped children, so a worker that exits does not take its CPU time with it.
    ticks += p.cpuTicks + p.childCpuTicks;
  }
  let cpuSeconds = ticks / TICKS_PER_SECOND;
  if (cgroupCpuStat) {
    try {
      const match = /^usage_usec (\d+)$/m.exec(readFileSync(cgroupCpuStat, 'utf8'));
      if (match) cpuSeconds = Number(match[1]) / 1e6;
    } catch {
      // The cgroup went away with the service; keep the /proc figure.
    }
  }
  return { rssBytes, cpuSeconds };
}

/** Samples every `intervalMs` from start() to stop(). */
export class ResourceMonitor {
  private first?: ResourceSample;
  private last?: ResourceSample;
  private peakRssBytes = 0;
  private samples = 0;
  private timer?: NodeJS.Timeout;
  private readonly cgroupCpuStat?: string;

  constructor(
    private readonly leaderPid: number,
    private readonly intervalMs = 250,
  ) {
    this.cgroupCpuStat = ownCgroupCpuStat(leaderPid);
  }

  start(): void {
    this.take();
    this.timer = setInterval(() => this.take(), this.intervalMs);
  }

  /** The usage over the window, or undefined where /proc could not be read. */
  stop(): ResourceUsage | undefined {
    clearInterval(this.timer);
    this.take();
    if (!this.first || !this.last) return undefined;
    return {
      rssStartBytes: this.first.rssBytes,
      rssEndBytes: this.last.rssBytes,
      rssPeakBytes: this.peakRssBytes,
      rssGrowthBytes: this.last.rssBytes - this.first.rssBytes,
      cpuSeconds: Math.max(0, this.last.cpuSeconds - this.first.cpuSeconds),
      cpuSource: this.cgroupCpuStat ? 'cgroup' : 'proc',
      samples: this.samples,
    };
  }

  private take(): void {
    const sample = sampleResources(this.leaderPid, this.cgroupCpuStat);
    if (!sample) return;
    // A tree with no live process left (the service died) is not a reading.
    if (sample.rssBytes === 0 && this.first) return;
    this.first ??= sample;
    this.last = sample;
    this.samples++;
    if (sample.rssBytes > this.peakRssBytes) this.peakRssBytes = sample.rssBytes;
  }
}
