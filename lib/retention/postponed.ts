// A partition change postponed (its table's lock not granted within the timeout) is tried again on
// the next run. The worker says so, with how many runs in a row each one has waited: a drop postponed
// for ever (a transaction that never ends) would otherwise show only as disk that never comes back.
import type { PartitionChanges } from "@/lib/retention/partitions";

/** One per worker: returns the line to log for a retention run, or null when nothing was postponed. */
export function postponementNotices() {
  const streaks = new Map<string, number>();
  return (run: Pick<PartitionChanges, "postponed"> | null): string | null => {
    if (!run) return null; // another replica holds the retention lock this time
    for (const name of [...streaks.keys()]) if (!run.postponed.includes(name)) streaks.delete(name);
    if (!run.postponed.length) return null;
    const names = run.postponed.map((name) => {
      const runs = (streaks.get(name) ?? 0) + 1;
      streaks.set(name, runs);
      return runs > 1 ? `${name} (${runs} runs in a row)` : name;
    });
    return `retention: partition change postponed to the next run: ${names.join(", ")}. A transaction kept the table locked past the lock timeout; if this repeats, end the long-running transaction (pg_stat_activity, oldest xact_start).`;
  };
}
