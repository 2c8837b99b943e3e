// The deletion step machine the worker runs: suppress → audiences → destinations → erase_audiences
// → erase_events → erase_profiles. Each step is idempotent and writes its receipt entry (and the
// next step) before the next one starts — the erase steps in the same transaction as their
// deletes — so a crash resumes at the first unfinished step. Platforms that do not confirm are
// retried with backoff, then reported as failed and the request ends "partial", never silently.
import { database, db } from "@/lib/db";
import type { RawSql } from "@/lib/db/connection";
import { deleteAtDestinations } from "@/lib/privacy/destination-deletions";
import { eraseAudiences, eraseEvents, eraseProfiles } from "@/lib/privacy/erase-local";
import { hashIdentifier } from "@/lib/privacy/identifier-hash";
import {
  nextStep,
  type PlatformResult,
  type Receipt,
  STEPS,
  type StepName,
  type StepReceipt,
} from "@/lib/privacy/receipt";
import { type PlatformCallOptions, removeFromAudiences } from "@/lib/privacy/remove-from-audiences";
import { openSubject, type Subject } from "@/lib/privacy/subject";
import { SUPPRESSION_TTL_MS, suppressHashes } from "@/lib/privacy/suppressions";

export interface DeletionRunOptions extends Omit<PlatformCallOptions, "now"> {
  now?: () => Date;
  /** Runs before each step (a test injects a crash here). */
  beforeStep?: (step: StepName) => void | Promise<void>;
  /** Tries of a step whose platforms did not all confirm, before it is reported as failed. */
  maxAttempts?: number;
}

export const DELETION_MAX_ATTEMPTS = 5;
const backoffMs = (attempts: number) => Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

type Row = {
  id: string;
  workspaceId: string;
  step: string;
  attempts: number;
  receipt: unknown;
  sealedSubject: string | null;
};

async function save(
  raw: RawSql,
  id: string,
  fields: { receipt: Receipt; step: string; attempts: number; nextAttemptAt?: Date; lastError?: string | null },
) {
  await raw.query(
    `UPDATE "PrivacyDeletion" SET "receipt" = $2::jsonb, "step" = $3, "attempts" = $4,
       "nextAttemptAt" = COALESCE($5::timestamp, "nextAttemptAt"), "lastError" = $6, "updatedAt" = now() WHERE "id" = $1`,
    [
      id,
      JSON.stringify(fields.receipt),
      fields.step,
      fields.attempts,
      fields.nextAttemptAt?.toISOString() ?? null,
      fields.lastError ?? null,
    ],
  );
}

/** Every identifier of the person, suppressed (keyed hashes), so nothing new arrives while erasing. */
async function suppressStep(row: Row, subject: Subject): Promise<StepReceipt> {
  const entries = [
    ...subject.userIds.map((v) => ({ kind: "user_id", hash: hashIdentifier(row.workspaceId, "user_id", v) })),
    ...subject.anonymousIds.map((v) => ({
      kind: "anonymous_id",
      hash: hashIdentifier(row.workspaceId, "anonymous_id", v),
    })),
    ...subject.emails.map((v) => ({ kind: "email", hash: hashIdentifier(row.workspaceId, "email", v) })),
  ];
  const added = await suppressHashes(row.workspaceId, entries, {
    reason: "deletion request",
    createdBy: "privacy deletion",
    deletionId: row.id,
  });
  return {
    status: "done",
    at: new Date().toISOString(),
    counts: { identifiers_suppressed: entries.length, newly_suppressed: added },
  };
}

const FINISHED = new Set(["done", "not_applicable"]);

/** A platform step: earlier confirmed results are kept, the rest (re)tried. */
async function platformStep(
  row: Row,
  receipt: Receipt,
  step: "audiences" | "destinations",
  subject: Subject,
  opts: DeletionRunOptions,
): Promise<{ entry: StepReceipt; retry: boolean }> {
  const earlier = (receipt.steps[step]?.results ?? []).filter((r) => FINISHED.has(r.outcome));
  const done = new Set(earlier.map((r) => r.key));
  const call = { fetchImpl: opts.fetchImpl, timeoutMs: opts.timeoutMs, now: opts.now?.() };
  const fresh: PlatformResult[] =
    step === "audiences"
      ? await removeFromAudiences(row.workspaceId, subject, done, call)
      : await deleteAtDestinations(row.workspaceId, subject, done, call);
  const results = [...earlier, ...fresh];
  const unconfirmed = results.some((r) => !FINISHED.has(r.outcome));
  const retry =
    results.some((r) => r.outcome === "failed") && row.attempts + 1 < (opts.maxAttempts ?? DELETION_MAX_ATTEMPTS);
  return { entry: { status: unconfirmed ? "partial" : "done", at: new Date().toISOString(), results }, retry };
}

/**
 * Other app instances learn of the suppression within their cache's TTL: local erasure starts only
 * after it, so no call of the person can be stored with personal data after the scrub.
 */
async function waitForSuppressionEverywhere(receipt: Receipt) {
  const at = receipt.steps.suppress?.at;
  const wait = at ? new Date(at).getTime() + SUPPRESSION_TTL_MS + 250 - Date.now() : 0;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, SUPPRESSION_TTL_MS + 250)));
}

const ERASERS = { erase_audiences: eraseAudiences, erase_events: eraseEvents, erase_profiles: eraseProfiles } as const;

/** Runs the request from its first unfinished step to the end (or to a scheduled retry). */
export async function runDeletion(id: string, opts: DeletionRunOptions = {}): Promise<void> {
  const row = (await db().privacyDeletion.findUniqueOrThrow({ where: { id } })) as Row;
  const stored = row.receipt as Partial<Receipt>;
  const receipt: Receipt = { ...stored, steps: stored.steps ?? {} };
  const subject = openSubject(row.sealedSubject);
  if (!subject) {
    if (row.step !== "done")
      await db().privacyDeletion.update({
        where: { id },
        data: { status: "failed", lastError: "the request lost its subject" },
      });
    return;
  }
  while (row.step !== "done") {
    const step = row.step as StepName;
    if (!STEPS.includes(step)) throw new Error(`unknown deletion step ${step}`);
    await opts.beforeStep?.(step);
    if (step === "erase_audiences" || step === "erase_events" || step === "erase_profiles") {
      if (step === "erase_audiences") await waitForSuppressionEverywhere(receipt);
      await database().transaction(async (raw) => {
        const counts = await ERASERS[step](raw, row.workspaceId, subject);
        receipt.steps[step] = { status: "done", at: new Date().toISOString(), counts };
        await save(raw, id, { receipt, step: nextStep(step), attempts: 0 });
      });
    } else if (step === "suppress") {
      receipt.steps.suppress = await suppressStep(row, subject);
      await save(database().raw, id, { receipt, step: nextStep(step), attempts: 0 });
    } else {
      const { entry, retry } = await platformStep(row, receipt, step, subject, opts);
      receipt.steps[step] = entry;
      if (retry) {
        const now = opts.now?.() ?? new Date();
        await save(database().raw, id, {
          receipt,
          step,
          attempts: row.attempts + 1,
          nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts + 1)),
          lastError: `${step}: a platform did not confirm; retrying`,
        });
        await db().privacyDeletion.update({ where: { id }, data: { leaseUntil: null } });
        return;
      }
      await save(database().raw, id, { receipt, step: nextStep(step), attempts: 0 });
    }
    row.step = nextStep(step);
    row.attempts = 0;
  }
  const partial = Object.values(receipt.steps).some((s) => s?.status === "partial");
  // The request is over: the sealed identifiers go; only hashes, counts and answers remain.
  await db().privacyDeletion.update({
    where: { id },
    data: {
      status: partial ? "partial" : "completed",
      sealedSubject: null,
      completedAt: new Date(),
      leaseUntil: null,
      lastError: null,
    },
  });
}
