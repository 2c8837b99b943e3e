// Load generation for the benchmarks: autocannon with a fresh body per request.
import autocannon from "autocannon";

export interface LoadResult {
  label: string;
  requestsPerSec: number;
  eventsPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
}

export interface LoadSpec {
  label: string;
  url: string;
  headers?: Record<string, string>;
  /** Builds the JSON body of request number i (unique ids per request). */
  body: (i: number) => unknown;
  eventsPerRequest?: number;
  connections?: number;
  seconds?: number;
  /** Fixed request rate across all connections (for latency at a given load). */
  rate?: number;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections ?? 10,
    duration: spec.seconds ?? 10,
    ...(spec.rate ? { overallRate: spec.rate } : {}),
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", ...spec.headers },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(spec.body(i++)) }),
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statuses[code] = (stat as { count: number }).count;
  return {
    label: spec.label,
    requestsPerSec: result.requests.average,
    eventsPerSec: result.requests.average * (spec.eventsPerRequest ?? 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statuses,
  };
}

export function printResults(title: string, rows: LoadResult[]) {
  console.log(`\n${title}`);
  console.log(
    `${"scenario".padEnd(44)} ${"req/s".padStart(8)} ${"events/s".padStart(9)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)}  statuses`,
  );
  for (const r of rows) {
    console.log(
      `${r.label.padEnd(44)} ${r.requestsPerSec.toFixed(0).padStart(8)} ${r.eventsPerSec.toFixed(0).padStart(9)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)}  ${JSON.stringify(r.statuses)}${r.errors ? ` errors=${r.errors}` : ""}`,
    );
  }
}
