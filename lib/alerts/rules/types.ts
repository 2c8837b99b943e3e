// What every alert rule is: a kind with thresholds, evaluated at a time `now` over the rollups,
// answering the subjects it finds wrong right now (an empty answer resolves what was firing).
import type { RawSql } from "@/lib/db/connection";

export const HOUR_MS = 3_600_000;

export interface EvalContext {
  workspaceId: string;
  /** The evaluation time (injectable: tests drive a controlled clock). */
  now: Date;
  raw: RawSql;
}

/** One subject a rule finds wrong now. */
export interface Finding {
  /** Stable per subject (a mapping id, a destination id, a pair of labels): one alert per key. */
  subjectKey: string;
  title: string;
  message: string;
  /** Shown and linked by the UI and sent in webhook payloads (labels, ids, links). */
  details: Record<string, unknown>;
}

export interface RuleDefinition<P> {
  label: string;
  /** What it watches, in one sentence, for the rules page and the README. */
  description: string;
  evaluate(ctx: EvalContext, params: P): Promise<Finding[]>;
}

/** Start of the hour holding `t`. */
export const hourOf = (t: Date | number) => new Date(Math.floor(new Date(t).getTime() / HOUR_MS) * HOUR_MS);

/** An hourly bucket as epoch ms (text): both database modes answer the same. */
export const EPOCH_MS_SQL = `(extract(epoch FROM "bucket") * 1000)::bigint::text`;

export const pctText = (r: number) => `${(Math.round(r * 1000) / 10).toString()} %`;
