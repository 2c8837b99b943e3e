// Schemas of the overview's address (the period picker and the canonical event it focuses on) and of
// the reconciliation (days, canonical event, destination, format).
import { z } from "zod";
import { canonicalEventNameSchema } from "@/lib/validations/canonical-events";
import { idSchema } from "@/lib/validations/common";

export const OVERVIEW_PERIODS = ["24h", "7d", "30d"] as const;
export type OverviewPeriod = (typeof OVERVIEW_PERIODS)[number];

export const overviewQuerySchema = z.object({
  period: z.enum(OVERVIEW_PERIODS).default("24h"),
  /** One canonical event's volume; all events (mapped or not) when absent. */
  canonical_event: canonicalEventNameSchema.optional(),
});
export type OverviewQuery = z.output<typeof overviewQuerySchema>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const daySchema = z
  .string()
  .trim()
  .regex(DAY, "use a date as YYYY-MM-DD")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "is not a date");

/** Most days one reconciliation reads (a quarter): its table has a row per day. */
export const RECONCILIATION_MAX_DAYS = 92;

export const reconciliationQuerySchema = z
  .object({
    /** First day (UTC, inclusive); default: six days before `to`. */
    from: daySchema.optional(),
    /** Last day (UTC, inclusive); default: today. */
    to: daySchema.optional(),
    /** Only this canonical event (its name); all, and the events mapped to none, when absent. */
    canonical_event: canonicalEventNameSchema.optional(),
    /** Only this destination (its id). */
    destination: idSchema.optional(),
    /** csv: the same numbers as a CSV file, one line per day × canonical event × destination. */
    format: z.enum(["json", "csv"]).default("json"),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "must not be after to", path: ["from"] })
  .refine(
    (v) =>
      !v.from ||
      !v.to ||
      (Date.parse(`${v.to}T00:00:00Z`) - Date.parse(`${v.from}T00:00:00Z`)) / 86_400_000 < RECONCILIATION_MAX_DAYS,
    { message: `reads at most ${RECONCILIATION_MAX_DAYS} days`, path: ["from"] },
  );
export type ReconciliationQuery = z.output<typeof reconciliationQuerySchema>;
