// The overview's periods as chart points over the hourly rollups: 24 hours by the hour, 7 days
// by 6 hours, 30 days by the day (UTC), every point present (a quiet hour is a zero, not a gap).
import type { OverviewPeriod } from "@/lib/validations/metrics";

const HOUR = 3_600_000;

export interface PeriodWindow {
  period: OverviewPeriod;
  /** Width of one chart point, in hours. */
  stepHours: number;
  /** Start of the first point (inclusive); the last point holds now. */
  since: Date;
  /** Start of every point, oldest first. */
  points: Date[];
}

const SHAPES: Record<OverviewPeriod, { points: number; stepHours: number }> = {
  "24h": { points: 24, stepHours: 1 },
  "7d": { points: 28, stepHours: 6 },
  "30d": { points: 30, stepHours: 24 },
};

export function periodWindow(period: OverviewPeriod, now = new Date()): PeriodWindow {
  const { points, stepHours } = SHAPES[period];
  const step = stepHours * HOUR;
  const last = Math.floor(now.getTime() / step) * step;
  const starts = Array.from({ length: points }, (_, i) => new Date(last - (points - 1 - i) * step));
  return { period, stepHours, since: starts[0]!, points: starts };
}

/** The SQL expression putting an hourly bucket into its chart point (epoch ms, as text). */
export const pointSql = (stepHours: number, column = `"bucket"`) =>
  `(extract(epoch FROM date_bin(interval '${stepHours} hours', ${column}, TIMESTAMP '2000-01-01')) * 1000)::bigint::text`;
