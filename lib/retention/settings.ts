// Retention settings of a workspace: the API shape, its columns, and the rule that nothing outlives
// the events it belongs to (422 with `retention.<field>` paths).
import { AppError, type FieldIssue } from "@/lib/errors";
import type { RetentionInput } from "@/lib/validations/workspace";

export interface Retention {
  events_months: number;
  payloads_days: number;
  delivery_logs_days: number;
  violation_samples_days: number;
  dead_letters_days: number;
  audit_log_days: number;
}

export interface RetentionColumns {
  retentionEventsMonths: number;
  retentionPayloadsDays: number;
  retentionDeliveryLogsDays: number;
  retentionViolationSamplesDays: number;
  retentionDeadLettersDays: number;
  retentionAuditLogDays: number;
}

const COLUMN: Record<keyof Retention, keyof RetentionColumns> = {
  events_months: "retentionEventsMonths",
  payloads_days: "retentionPayloadsDays",
  delivery_logs_days: "retentionDeliveryLogsDays",
  violation_samples_days: "retentionViolationSamplesDays",
  dead_letters_days: "retentionDeadLettersDays",
  audit_log_days: "retentionAuditLogDays",
};

/** The shortest N calendar months last (28 days each at least): what "within the events' retention" means in days. */
export const eventsDays = (months: number) => months * 28;

/** Kinds of data that belong to events and so may not be kept longer than them. */
const BOUND_BY_EVENTS = ["payloads_days", "delivery_logs_days", "violation_samples_days", "dead_letters_days"] as const;

export const retentionOf = (w: RetentionColumns): Retention => ({
  events_months: w.retentionEventsMonths,
  payloads_days: w.retentionPayloadsDays,
  delivery_logs_days: w.retentionDeliveryLogsDays,
  violation_samples_days: w.retentionViolationSamplesDays,
  dead_letters_days: w.retentionDeadLettersDays,
  audit_log_days: w.retentionAuditLogDays,
});

/** Merges a change into the current settings and checks the result; returns the columns to write. */
export function mergeRetention(current: Retention, change: RetentionInput): Partial<RetentionColumns> {
  const next = { ...current };
  for (const [key, value] of Object.entries(change) as [keyof Retention, number | undefined][])
    if (value !== undefined) next[key] = value;
  const limit = eventsDays(next.events_months);
  const issues: FieldIssue[] = BOUND_BY_EVENTS.filter((key) => next[key] > limit).map((key) => ({
    path: `retention.${key}`,
    message: `may not exceed the events' retention (${next.events_months} months = ${limit} days)`,
    code: "outlives_events",
  }));
  if (issues.length) throw new AppError("unprocessable", "Nothing may be kept longer than its events", issues);
  const data: Partial<RetentionColumns> = {};
  for (const key of Object.keys(change) as (keyof Retention)[])
    if (change[key] !== undefined) data[COLUMN[key]] = next[key];
  return data;
}
