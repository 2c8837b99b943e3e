// The receipt of a deletion request: per step, when it finished and what it did — counts per
// table, each platform's answer (status code and a message with the person's identifiers
// redacted). It never holds personal data.
import type { Exchange } from "@/lib/delivery/engine/send";
import type { Subject } from "@/lib/privacy/subject";

export const STEPS = [
  "suppress",
  "audiences",
  "destinations",
  "erase_audiences",
  "erase_events",
  "erase_profiles",
] as const;
export type StepName = (typeof STEPS)[number];

/** done: the platform confirmed; failed: it did not (after retries); skipped: not attempted (why in message); not_applicable: nothing to do there. */
export type PlatformOutcome = "done" | "failed" | "skipped" | "not_applicable";

export interface PlatformResult {
  /** Stable per target (destination id, audience id + destination id): a resumed step skips finished ones. */
  key: string;
  target: string;
  type: string;
  outcome: PlatformOutcome;
  status: number | null;
  message: string;
}

export interface StepReceipt {
  /** partial: finished, but a platform did not confirm (see results). */
  status: "done" | "partial";
  at: string;
  counts?: Record<string, number>;
  results?: PlatformResult[];
}

export interface Receipt {
  subject?: { profiles: number; user_ids: number; anonymous_ids: number; emails: number };
  steps: Partial<Record<StepName, StepReceipt>>;
}

export const emptyReceipt = (): Receipt => ({ steps: {} });

export function nextStep(step: StepName): StepName | "done" {
  const i = STEPS.indexOf(step);
  return STEPS[i + 1] ?? "done";
}

const EMAIL = /[^@\s"'<>]+@[^@\s"'<>]+\.[A-Za-z]{2,}/g;

/** A platform's message without the person's identifiers (nor any e-mail), at most 300 characters. */
export function redact(text: string, subject: Subject | null): string {
  let out = text.replace(EMAIL, "[e-mail]");
  for (const id of [...(subject?.userIds ?? []), ...(subject?.anonymousIds ?? [])])
    if (id.length >= 3) out = out.split(id).join("[id]");
  return out.slice(0, 300);
}

/** What an exchange says, for the receipt: its status and a redacted message. */
export function describeAnswer(
  exchange: Exchange,
  subject: Subject | null,
): { status: number | null; message: string } {
  const answer = exchange.answer;
  if ("networkError" in answer) return { status: null, message: redact(answer.networkError, subject) };
  const body = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? "");
  return { status: answer.status, message: redact(body || `HTTP ${answer.status}`, subject) };
}
