// The reconciliation as CSV: one line per day × canonical event × destination (event-side counts
// repeat on each destination's line; a row without deliveries has empty destination columns),
// then the range's totals with day "total". Plain CSV (header first) so any tool reads it.
import { DEAD_REASONS } from "@/lib/metrics/reasons";
import { RECONCILIATION_BLIND_SPOTS, type Reconciliation, type ReconciliationRow } from "@/lib/metrics/reconciliation";

const EVENT_COLUMNS = [
  "received",
  "accepted",
  "held",
  "violations",
  "duplicates",
  "conflicts",
  "suppressed",
  "unmapped",
] as const;
const FUNNEL_COLUMNS = ["queued", "sent", "acknowledged", "dead", "skipped", "retrying", "unsettled"] as const;

const HEADER = [
  "day",
  "canonical_event",
  ...EVENT_COLUMNS,
  "destination_id",
  "destination",
  ...FUNNEL_COLUMNS,
  ...DEAD_REASONS.map((r) => `dead_${r}`),
];

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs a name as a formula. */
function cell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function lines(row: ReconciliationRow): (string | number)[][] {
  const head = [row.day, row.canonicalEvent?.name ?? "", ...EVENT_COLUMNS.map((c) => row[c])];
  if (row.destinations.length === 0)
    return [[...head, "", "", ...FUNNEL_COLUMNS.map(() => ""), ...DEAD_REASONS.map(() => "")]];
  return row.destinations.map((f) => [
    ...head,
    f.destination.id,
    f.destination.name,
    ...FUNNEL_COLUMNS.map((c) => f[c]),
    ...DEAD_REASONS.map((r) => f.deadReasons[r]),
  ]);
}

export function reconciliationCsv(data: Reconciliation): string {
  const body = [HEADER, ...[...data.days, ...data.totals].flatMap(lines)].map((l) => l.map(cell).join(","));
  return `${body.join("\r\n")}\r\n`;
}

/** The API's answer: the numbers and what they cannot see as JSON, or the CSV file to download. */
export function reconciliationResponse(data: Reconciliation, format: "json" | "csv"): unknown {
  if (format === "json") return { ...data, cannot_see: RECONCILIATION_BLIND_SPOTS };
  return new Response(reconciliationCsv(data), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="reconciliation-${data.from}-to-${data.to}.csv"`,
      "cache-control": "no-store",
    },
  });
}
