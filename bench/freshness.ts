// Rollup freshness under load (issue 15: counted within 15 s of the event): once a second, how
// long the oldest stored event the rollups have not counted yet has been stored. Each sample reads
// the Event sequence's last value (handed out as an event is stored) and the events stream's
// checkpoint (moved in the transaction that counts); an event is waiting since the first sample
// that saw the sequence pass it. Two cheap statements a second, no scan of Event.
import pg from "pg";

export interface FreshnessResult {
  label: string;
  samples: number;
  maxLagMs: number;
  p95LagMs: number;
  /** The lag when the load ended (a backlog still growing shows here). */
  lastLagMs: number;
}

export const FRESHNESS_TARGET_MS = 15_000;

const SAMPLE_SQL = `SELECT coalesce(pg_sequence_last_value('"Event_seq_seq"'::regclass), 0)::text AS "last",
  coalesce((SELECT "position" FROM "RollupCheckpoint" WHERE "stream" = 'events'), 0)::text AS "counted"`;

export interface FreshnessSampler {
  /** Runs `load`, keeping the lags sampled meanwhile under `label`. */
  during<T>(label: string, load: () => Promise<T>): Promise<T>;
  results(): FreshnessResult[];
  stop(): Promise<void>;
}

/**
 * Samples from now until stopped (so an event stored before a measured window is dated right);
 * only the samples taken during `during` windows are reported.
 */
export async function startFreshnessSampler(databaseUrl: string): Promise<FreshnessSampler> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // (time, last sequence value) per sample: when each sequence value was first seen stored.
  const seen: { at: number; last: bigint }[] = [];
  const windows: { label: string; lags: number[] }[] = [];
  let current: { label: string; lags: number[] } | null = null;
  const sample = async () => {
    const at = Date.now();
    const [row] = (await client.query<{ last: string; counted: string }>(SAMPLE_SQL)).rows;
    const last = BigInt(row!.last);
    const counted = BigInt(row!.counted);
    seen.push({ at, last });
    // The oldest uncounted event is seq counted + 1: waiting since the first sample whose last value reached it.
    const since = counted < last ? seen.find((s) => s.last > counted)?.at : undefined;
    current?.lags.push(since === undefined ? 0 : at - since);
  };
  let stopped = false;
  let closing: Promise<void> | null = null;
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      await sample().catch(() => undefined); // a missed sample is a gap, not a failed run
      await new Promise((r) => setTimeout(r, Math.max(0, 1_000 - (Date.now() - started))));
    }
  })();
  return {
    async during(label, load) {
      current = { label, lags: [] };
      windows.push(current);
      try {
        return await load();
      } finally {
        current = null;
      }
    },
    results: () => windows.map((w) => summarize(w.label, w.lags)),
    stop() {
      closing ??= (async () => {
        stopped = true;
        await loop;
        await client.end();
      })();
      return closing;
    },
  };
}

/**
 * Waits until the rollups have counted every event stored so far (their checkpoint reaches the highest
 * seq stored; the sequence may have handed out later values that no stored event holds) and resolves
 * with how long it took.
 */
export async function waitUntilCounted(databaseUrl: string, timeoutMs = 10 * 60_000): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = Date.now();
  try {
    const [stored] = (await client.query<{ seq: string }>(`SELECT coalesce(max("seq"), 0)::text AS "seq" FROM "Event"`))
      .rows;
    for (;;) {
      const [row] = (await client.query<{ last: string; counted: string }>(SAMPLE_SQL)).rows;
      if (BigInt(row!.counted) >= BigInt(stored!.seq)) return Date.now() - started;
      if (Date.now() - started > timeoutMs)
        throw new Error(`the rollups counted up to seq ${row!.counted} of ${stored!.seq} in ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  } finally {
    await client.end();
  }
}

function summarize(label: string, lags: number[]): FreshnessResult {
  const sorted = [...lags].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
  return {
    label,
    samples: lags.length,
    maxLagMs: sorted.at(-1) ?? 0,
    p95LagMs: p95,
    lastLagMs: lags.at(-1) ?? 0,
  };
}

export function printFreshness(rows: FreshnessResult[]) {
  console.log("\n  rollup freshness (oldest stored event not yet counted, sampled every second)");
  for (const r of rows) {
    const ok = r.maxLagMs <= FRESHNESS_TARGET_MS ? "" : "  !";
    console.log(
      `  ${r.label.padEnd(32)} max ${(r.maxLagMs / 1000).toFixed(1)} s, p95 ${(r.p95LagMs / 1000).toFixed(1)} s, at the end ${(r.lastLagMs / 1000).toFixed(1)} s (${r.samples} samples; target ≤ ${FRESHNESS_TARGET_MS / 1000} s)${ok}`,
    );
  }
}
