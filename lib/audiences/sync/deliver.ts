// The audience outbox step of the worker: claims due syncs, resolves their members, sends the
// platform's requests (the engine's send), classifies answers, retries with the engine's policy
// and records every exchange. A failed request fails the whole row; a retry re-sends it all
// (adding or removing a member twice is harmless on every platform).

import { settingsOf } from "@/lib/audiences/manage-audiences";
import { audiencePlatforms, countMatchable, planSync, type SyncPlan } from "@/lib/audiences/platforms";
import type { AudiencePlatform, AudienceTarget, PlatformSettings } from "@/lib/audiences/platforms/types";
import { type ClaimedAudienceSync, claimDueAudienceSyncs } from "@/lib/audiences/sync/claim";
import { type AudienceSettled, type ExchangeLog, recordAudienceAttempt } from "@/lib/audiences/sync/record";
import { resolveMembers } from "@/lib/audiences/sync/resolve-members";
import { database, db } from "@/lib/db";
import { baseUrlOverride, destinationModules, resolveBaseUrl } from "@/lib/delivery/destinations";
import type { Outcome } from "@/lib/delivery/destinations/types";
import { nextStep, type RetryPolicy, retryPolicy } from "@/lib/delivery/engine/policy";
import { refusedOutcome, send } from "@/lib/delivery/engine/send";
import { TOKEN_REJECTED, TokenError, tokenRejected, withAccessToken } from "@/lib/delivery/oauth";
import { OutboundRefused } from "@/lib/delivery/outbound";
import { openSecrets } from "@/lib/delivery/secret-box";
import { recordTokenRefusal } from "@/lib/delivery/token-refusal";
import { logFailure } from "@/lib/log";

export interface AudienceSyncOptions {
  policy?: RetryPolicy;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  now?: () => Date;
  /** How long a claim is held (lib/worker/options.ts: audienceLeaseMs). */
  leaseMs: number;
}

const AUDIENCE_BATCH = 10;
const NO_PLAN: SyncPlan = { requests: [], adds: 0, removes: 0, unmatchable: 0 };

function settle(
  claim: ClaimedAudienceSync,
  outcome: Outcome | { outcome: "skipped"; reason: string },
  opts: AudienceSyncOptions,
  now: Date,
  plan: SyncPlan,
): AudienceSettled {
  const base = {
    sentAdds: plan.adds,
    sentRemoves: plan.removes,
    unmatchable: plan.unmatchable,
    members: null,
    matchable: null,
  };
  if (outcome.outcome === "success")
    return { ...base, status: "succeeded", reason: "accepted", nextAttemptAt: null, ack: outcome.ack };
  if (outcome.outcome === "skipped") return { ...base, status: "skipped", reason: outcome.reason, nextAttemptAt: null };
  if (outcome.outcome === "permanent") return { ...base, status: "dead", reason: outcome.reason, nextAttemptAt: null };
  const step = nextStep({
    attempts: claim.attempts + 1,
    now,
    eventAt: claim.createdAt,
    storedAt: claim.createdAt,
    retryAfterMs: outcome.retryAfterMs,
    policy: opts.policy ?? retryPolicy(),
  });
  return step.kind === "retry"
    ? { ...base, status: "retrying", reason: outcome.reason, nextAttemptAt: step.at }
    : { ...base, status: "dead", reason: `${outcome.reason}; ${step.reason}`, nextAttemptAt: null };
}

/** Sends the plan's requests in order, stopping at the first that does not succeed. */
async function sendAll(
  classify: AudiencePlatform["classify"],
  plan: SyncPlan,
  opts: AudienceSyncOptions,
): Promise<{ logs: ExchangeLog[]; outcome: Outcome }> {
  const logs: ExchangeLog[] = [];
  const acks: unknown[] = [];
  for (const request of plan.requests) {
    const exchange = await send(request, opts.timeoutMs ?? 30_000, opts.fetchImpl);
    const outcome = refusedOutcome(exchange.answer) ?? classify(exchange.answer);
    logs.push({
      request,
      exchange,
      outcome: outcome.outcome,
      reason: "reason" in outcome ? outcome.reason : "accepted",
    });
    if (outcome.outcome !== "success") return { logs, outcome };
    acks.push(outcome.ack ?? null);
  }
  if (logs.length === 0)
    logs.push({
      request: null,
      exchange: null,
      outcome: "success",
      reason: "no matchable members in this change: nothing to send",
    });
  return { logs, outcome: { outcome: "success", ack: { requests: plan.requests.length, acks: acks.slice(0, 20) } } };
}

async function deliverOne(claim: ClaimedAudienceSync, opts: AudienceSyncOptions): Promise<void> {
  const now = opts.now?.() ?? new Date();
  const [audience, destination] = await Promise.all([
    db().audience.findUnique({ where: { id: claim.audienceId } }),
    db().destination.findUnique({ where: { id: claim.destinationId }, omit: { secretsEncrypted: false } }),
  ]);
  if (!audience || !destination) return; // deleted meanwhile: the cascade removes the row too
  const attempt = claim.attempts + 1;
  const stop = (outcome: Outcome | { outcome: "skipped"; reason: string }) =>
    recordAudienceAttempt(
      claim,
      attempt,
      [{ request: null, exchange: null, outcome: outcome.outcome, reason: "reason" in outcome ? outcome.reason : "" }],
      settle(claim, outcome, opts, now, NO_PLAN),
      now,
    );

  const setting = settingsOf(audience).find((d) => d.destination_id === destination.id);
  const platform = audiencePlatforms[destination.type];
  if (!destination.enabled) return stop({ outcome: "skipped", reason: "the destination is disabled" });
  if (!setting?.enabled)
    return stop({ outcome: "skipped", reason: "the audience no longer sends to this destination" });
  if (!platform)
    return stop({ outcome: "permanent", reason: `${destination.type} destinations do not take audiences` });
  let settings: PlatformSettings;
  const module = destinationModules[destination.type];
  try {
    const config = destination.config as Record<string, unknown>;
    const plain = {
      config,
      secrets: openSecrets(destination.secretsEncrypted),
      baseUrl: resolveBaseUrl(destination.type, baseUrlOverride(config)),
      testMode: destination.testMode,
      now,
    };
    settings = await withAccessToken(module, destination.id, plain, { fetchImpl: opts.fetchImpl });
  } catch (error) {
    await recordTokenRefusal(destination.id, error, now);
    // A refused URL or token endpoint is a setting to fix: dead with the reason, not retried.
    if (error instanceof OutboundRefused || (error instanceof TokenError && error.permanent))
      return stop({ outcome: "permanent", reason: error.message });
    return stop({
      outcome: "retry",
      reason:
        error instanceof TokenError
          ? error.message
          : `destination settings are incomplete: ${(error as Error).message}`,
    });
  }
  const target: AudienceTarget = {
    key: audience.key,
    name: audience.name,
    audienceId: setting.audience_id,
    ref: claim.id,
    full: claim.full,
  };
  const problem = platform.check(target, settings);
  if (problem) return stop({ outcome: "retry", reason: `settings are incomplete: ${problem}` });

  const change = await resolveMembers(
    claim.workspaceId,
    claim.full || !claim.syncId ? { audienceId: claim.audienceId } : { syncId: claim.syncId },
  );
  const plan = planSync(platform, change.adds, claim.full ? [] : change.removes, target, settings);
  const classify: AudiencePlatform["classify"] = (answer) =>
    tokenRejected(module, destination.id, settings.secrets, answer) ? TOKEN_REJECTED : platform.classify(answer);
  const { logs, outcome } = await sendAll(classify, plan, opts);
  const settled = settle(claim, outcome, opts, opts.now?.() ?? new Date(), plan);
  if (settled.status === "succeeded") {
    const everyone = claim.full
      ? change.adds
      : (await resolveMembers(claim.workspaceId, { audienceId: claim.audienceId })).adds;
    settled.members = everyone.length;
    settled.matchable = countMatchable(platform, everyone);
  }
  await recordAudienceAttempt(claim, attempt, logs, settled, opts.now?.() ?? new Date());
}

/** One pass over the audience outbox; returns how many rows it claimed. */
export async function runAudienceSyncOnce(workerId: string, opts: AudienceSyncOptions): Promise<number> {
  const claimed = await claimDueAudienceSyncs(database(), workerId, AUDIENCE_BATCH, opts.leaseMs, opts.now?.());
  for (const claim of claimed) {
    try {
      await deliverOne(claim, opts);
    } catch (error) {
      // Unexpected (database) failure: the lease lapses and the row is tried again.
      logFailure(`audience sync ${claim.id}`, error);
    }
  }
  return claimed.length;
}
