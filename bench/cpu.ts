// Where a benchmark's CPU went over an interval (Linux /proc): the machine's busy cores, given
// processes' cores and this process's. On a quiet machine the rest is PostgreSQL.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

const TICKS_PER_SECOND = 100; // USER_HZ

/** Busy and total jiffies of all CPUs since boot (/proc/stat's first line). */
function machineTicks() {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + fields[4]!; // idle + iowait
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** User + system jiffies of a process (fields 14 and 15 of /proc/<pid>/stat, after its "(name)"). */
function processTicks(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

export interface CpuUse {
  /** Cores the machine had, and how many were busy on average. */
  cores: number;
  busy: number;
  /** Cores used by each given process, and by this one. */
  processes: number[];
  self: number;
}

/** Starts measuring; the returned function reads the use since then (call it while the processes live). */
export function cpuMeter(pids: number[]): () => CpuUse {
  const machine = machineTicks();
  const procs = pids.map(processTicks);
  const self = process.cpuUsage();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const now = machineTicks();
    const cores = availableParallelism();
    const used = process.cpuUsage(self);
    return {
      cores,
      busy: ((now.busy - machine.busy) / Math.max(1, now.total - machine.total)) * cores,
      processes: pids.map((pid, i) => (processTicks(pid) - procs[i]!) / TICKS_PER_SECOND / seconds),
      self: (used.user + used.system) / 1e6 / seconds,
    };
  };
}

/** "machine 1.9 of 2 cores busy · worker processes 0.6 · this process 0.2 · the rest (PostgreSQL on a quiet machine) 1.1" */
export function describeCpu(use: CpuUse, processesLabel: string): string {
  const processes = use.processes.reduce((a, b) => a + b, 0);
  const rest = Math.max(0, use.busy - processes - use.self);
  return `machine ${use.busy.toFixed(1)} of ${use.cores} cores busy · ${processesLabel} ${processes.toFixed(1)} · this process ${use.self.toFixed(1)} · the rest (PostgreSQL on a quiet machine) ${rest.toFixed(1)}`;
}
