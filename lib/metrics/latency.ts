// Fixed latency buckets for delivery rollups: counts per bucket add up exactly across rows and
// hours, and p50/p95 read off the cumulative counts (the bucket's upper bound, an upper estimate).

/** Upper bounds (ms, exclusive) of buckets 0..n-1; bucket n holds everything slower. */
export const LATENCY_BOUNDS_MS = [25, 50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000, 30_000];

/** The SQL array literal of the bounds, for width_bucket(latency, bounds) (= the bucket index). */
export const LATENCY_BOUNDS_SQL = `ARRAY[${LATENCY_BOUNDS_MS.join(",")}]::int[]`;

/** The bucket index of one latency, the same as the SQL expression width_bucket(ms, bounds). */
export function latencyBucketOf(ms: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => ms < bound);
  return i === -1 ? LATENCY_BOUNDS_MS.length : i;
}

/** The upper bound of a bucket in ms (the slowest bucket reports its lower bound). */
export const bucketUpperMs = (bucket: number) =>
  LATENCY_BOUNDS_MS[bucket] ?? LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;

/** The q-quantile (0..1) of counts per bucket, as a bucket's upper bound; null when empty. */
export function quantileMs(counts: Map<number, number>, q: number): number | null {
  const buckets = [...counts.entries()].filter(([b, n]) => b >= 0 && n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (seen >= q * total) return bucketUpperMs(bucket);
  }
  return bucketUpperMs(buckets[buckets.length - 1]![0]);
}
