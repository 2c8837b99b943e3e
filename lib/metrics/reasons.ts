// Why a delivery attempt ended as it did, as the rollups count it: the `reason` dimension of
// DeliveryRollup (SQL over one DeliveryAttempt row `a`) and the words the reconciliation shows.

/**
 * dead: rejected by the platform after sending (a 4xx or a per-item refusal), retries exhausted,
 * or refused before sending with the engine's code (unmatchable, too_old, invalid, unbuildable,
 * settings; "not_sent" for rows recorded before codes existed). skipped: "skipped". Otherwise "".
 */
export const ATTEMPT_REASON_SQL = `CASE
  WHEN a."outcome" = 'success' THEN ''
  WHEN a."outcome" = 'skipped' THEN 'skipped'
  WHEN a."outcome" = 'permanent' AND a."exchangeId" IS NOT NULL THEN 'platform_rejected'
  WHEN a."outcome" = 'permanent' THEN coalesce(nullif(a."code", ''), 'not_sent')
  WHEN a."nextAttemptAt" IS NULL THEN 'retries_exhausted'
  ELSE '' END`;

export const DEAD_REASONS = [
  "platform_rejected",
  "retries_exhausted",
  "unmatchable",
  "too_old",
  "invalid",
  "unbuildable",
  "settings",
  "not_sent",
] as const;
export type DeadReason = (typeof DEAD_REASONS)[number];

export const DEAD_REASON_LABELS: Record<DeadReason, string> = {
  platform_rejected: "rejected by the platform",
  retries_exhausted: "retries exhausted (platform or network kept failing)",
  unmatchable: "no identifier the platform can match",
  too_old: "too old for the platform",
  invalid: "not valid for this destination (its settings or the event's values)",
  unbuildable: "request could not be built or was too large",
  settings: "destination settings, refused address or token",
  not_sent: "not sent (recorded before reasons were kept)",
};

export const isDeadReason = (r: string): r is DeadReason => (DEAD_REASONS as readonly string[]).includes(r);
