// Schemas of the overview's address: the period picker and the canonical event it focuses on.
import { z } from "zod";
import { canonicalEventNameSchema } from "@/lib/validations/canonical-events";

export const OVERVIEW_PERIODS = ["24h", "7d", "30d"] as const;
export type OverviewPeriod = (typeof OVERVIEW_PERIODS)[number];

export const overviewQuerySchema = z.object({
  period: z.enum(OVERVIEW_PERIODS).default("24h"),
  /** One canonical event's volume; all events (mapped or not) when absent. */
  canonical_event: canonicalEventNameSchema.optional(),
});
export type OverviewQuery = z.output<typeof overviewQuerySchema>;
