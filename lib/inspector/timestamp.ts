// The timestamp travels too: each platform's time field as sent, converted back and compared with the
// event's occurred_at at that platform's precision. A unit error (ms where seconds are due) or a shifted
// time zone shows up as a mismatch naming the field, what was sent and what was expected.

export type TimeUnit = "s" | "ms" | "µs" | "RFC 3339" | "ISO 8601";

export interface SentTime {
  field: string;
  unit: TimeUnit;
  sent: unknown;
}

export interface TimeVerdict extends SentTime {
  /** The expected value in the platform's form. */
  expected: string | number;
  /** Why it does not match occurred_at, or null when it does. */
  problem: string | null;
}

const ZONED = /(Z|[+-]\d{2}:?\d{2})$/i;

function expectedOf(unit: TimeUnit, ms: number): string | number {
  if (unit === "s") return Math.floor(ms / 1000);
  if (unit === "ms") return ms;
  if (unit === "µs") return ms * 1000;
  return new Date(ms).toISOString();
}

/** Milliseconds the sent value stands for, or a reason it cannot be read. */
function readBack(unit: TimeUnit, sent: unknown): number | string {
  if (unit === "RFC 3339" || unit === "ISO 8601") {
    if (typeof sent !== "string") return `${unit} text expected, got ${JSON.stringify(sent)}`;
    if (!ZONED.test(sent.trim())) return `${JSON.stringify(sent)} has no time zone (Z or ±hh:mm)`;
    const ms = Date.parse(sent);
    return Number.isNaN(ms) ? `${JSON.stringify(sent)} is not a valid ${unit} time` : ms;
  }
  const n = typeof sent === "number" ? sent : typeof sent === "string" && sent.trim() ? Number(sent) : Number.NaN;
  if (!Number.isFinite(n)) return `a number of ${unit} expected, got ${JSON.stringify(sent)}`;
  return unit === "s" ? n * 1000 : unit === "µs" ? n / 1000 : n;
}

const iso = (ms: number) => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? "out of range" : d.toISOString();
};

const PRECISION_MS: Record<TimeUnit, number> = { s: 1000, ms: 1, µs: 1, "RFC 3339": 1, "ISO 8601": 1 };

/** Compares a sent time field with occurred_at at the field's precision. */
export function checkSentTime(time: SentTime, occurredAt: Date): TimeVerdict {
  const ms = occurredAt.getTime();
  const expected = expectedOf(time.unit, ms);
  const back = readBack(time.unit, time.sent);
  if (typeof back === "string") return { ...time, expected, problem: `${time.field}: ${back}` };
  const step = PRECISION_MS[time.unit];
  if (Math.floor(back / step) === Math.floor(ms / step)) return { ...time, expected, problem: null };
  const off = back - ms;
  const hours = Math.round(off / 3_600_000);
  const hint =
    hours !== 0 && Math.abs(hours) <= 14 && Math.abs(off - hours * 3_600_000) < step
      ? ` (off by ${hours} h: a shifted time zone?)`
      : Math.abs(back / ms - 1000) < 1 || Math.abs(ms / back - 1000) < 1
        ? " (a factor of 1000: the wrong unit?)"
        : "";
  return {
    ...time,
    expected,
    problem: `${time.field} is ${JSON.stringify(time.sent)} (${iso(back)}), expected ${JSON.stringify(expected)} (${time.unit}) for occurred_at ${occurredAt.toISOString()}${hint}`,
  };
}
