// Delivers a batch of claimed outbox rows: per destination, checks toggles and age, builds
// requests in platform-sized chunks, sends them, classifies the answers and records it all.

import { planRequests } from "@/lib/delivery/destinations/plan";
import type { AnyDestinationModule, DeliveryEvent, Outcome } from "@/lib/delivery/destinations/types";
import type { ClaimedDelivery } from "@/lib/delivery/engine/claim";
import { type LoadedDestination, openDestination } from "@/lib/delivery/engine/load";
import { nextStep, type RetryPolicy, retryPolicy } from "@/lib/delivery/engine/policy";
import { recordOutcomes, type Settled } from "@/lib/delivery/engine/record";
import { refusedOutcome, send } from "@/lib/delivery/engine/send";
import { TOKEN_REJECTED, TokenError, tokenRejected, withAccessToken } from "@/lib/delivery/oauth";
import { OutboundRefused } from "@/lib/delivery/outbound";
import { recordTokenRefusal } from "@/lib/delivery/token-refusal";
import type { DestinationType } from "@/lib/generated/prisma/enums";

export interface DeliverOptions {
  modules: Record<DestinationType, AnyDestinationModule>;
  baseUrlFor: (destination: LoadedDestination) => string;
  policy?: RetryPolicy;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  now?: () => Date;
  /**
   * No request starts once `passed()` (half the claim's lease has gone: it could lapse while the
   * request runs and another worker send the same rows; or the worker is stopping). Rows not sent
   * by then go to `giveBack`, due again at once for any worker.
   */
  deadline?: { passed: () => boolean; giveBack: (deliveryIds: string[]) => Promise<void> };
  /**
   * Takes over waiting for a destination's last record (the worker sends its next batch while it
   * is written; the rows stay leased until it is). Without it, delivering resolves once all is recorded.
   */
  recordInBackground?: (recording: Promise<void>) => void;
  /** Called with how long each step took (benchmarks profile a worker's round trips with it); claim includes loading what delivery needs. */
  timing?: (step: "claim" | "send" | "record", ms: number) => void;
}

/** Runs `work`, reporting its duration to opts.timing under `step`. */
export async function timed<T>(
  opts: Pick<DeliverOptions, "timing">,
  step: Parameters<NonNullable<DeliverOptions["timing"]>>[0],
  work: () => Promise<T>,
): Promise<T> {
  if (!opts.timing) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    opts.timing(step, performance.now() - started);
  }
}

type Item = { claim: ClaimedDelivery; event: DeliveryEvent & { storedAt: Date } };
/** What settling needs of an outbox row: its id, attempts so far and the times its age is measured from. */
export type SettleItem = {
  claim: Pick<ClaimedDelivery, "id" | "attempts">;
  event: { occurredAt: Date; storedAt: Date };
};

/** The row's next state after an outcome: succeeded, skipped, dead, or retrying at the policy's next time. */
export function settle(
  item: SettleItem,
  outcome: Outcome | { outcome: "skipped"; reason: string },
  module: AnyDestinationModule | undefined,
  opts: DeliverOptions,
  now: Date,
): Settled {
  const attempt = item.claim.attempts + 1;
  if (outcome.outcome === "success")
    return {
      deliveryId: item.claim.id,
      attempt,
      outcome: "success",
      reason: "accepted",
      status: "succeeded",
      nextAttemptAt: null,
      ack: outcome.ack,
    };
  if (outcome.outcome === "skipped")
    return {
      deliveryId: item.claim.id,
      attempt,
      outcome: "skipped",
      reason: outcome.reason,
      status: "skipped",
      nextAttemptAt: null,
    };
  if (outcome.outcome === "permanent")
    return {
      deliveryId: item.claim.id,
      attempt,
      outcome: outcome.outcome,
      reason: outcome.reason,
      status: "dead",
      nextAttemptAt: null,
      ...(outcome.code ? { code: outcome.code } : {}),
    };
  const step = nextStep({
    attempts: attempt,
    now,
    eventAt: item.event.occurredAt,
    storedAt: item.event.storedAt,
    retryAfterMs: "retryAfterMs" in outcome ? outcome.retryAfterMs : undefined,
    policy: opts.policy ?? retryPolicy(),
    platformMaxAgeMs: module?.maxEventAgeMs,
  });
  return step.kind === "retry"
    ? {
        deliveryId: item.claim.id,
        attempt,
        outcome: "retry",
        reason: outcome.reason,
        status: "retrying",
        nextAttemptAt: step.at,
      }
    : {
        deliveryId: item.claim.id,
        attempt,
        outcome: "retry",
        reason: `${outcome.reason}; ${step.reason}`,
        status: "dead",
        nextAttemptAt: null,
      };
}

async function deliverToDestination(
  items: Item[],
  destination: LoadedDestination,
  module: AnyDestinationModule,
  opts: DeliverOptions,
) {
  const now = opts.now?.() ?? new Date();
  const config = module.configSchema.safeParse(destination.config);
  const secrets = module.secretsSchema.safeParse(destination.secrets);
  if (destination.secretsError || !config.success || !secrets.success) {
    const reason =
      destination.secretsError ??
      `destination settings are incomplete: ${[...(config.error?.issues ?? []), ...(secrets.error?.issues ?? [])].map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`;
    await recordOutcomes(
      null,
      items.map((item) => settle(item, { outcome: "retry", reason }, module, opts, now)),
      now,
    );
    return;
  }
  let settings: Parameters<typeof planRequests>[2];
  try {
    settings = await withAccessToken(
      module,
      destination.id,
      {
        config: config.data,
        secrets: secrets.data,
        testMode: destination.testMode,
        baseUrl: opts.baseUrlFor(destination),
        now,
      },
      { fetchImpl: opts.fetchImpl, now: () => (opts.now?.() ?? new Date()).getTime() },
    );
  } catch (error) {
    // A refused URL (or token endpoint) is a setting to fix: a dead letter with the reason, replayable once fixed.
    const outcome: Outcome | null =
      error instanceof OutboundRefused
        ? { outcome: "permanent", reason: error.message, code: "settings" }
        : error instanceof TokenError
          ? error.permanent
            ? { outcome: "permanent", reason: error.message, code: "settings" }
            : { outcome: "retry", reason: error.message }
          : null;
    if (!outcome) throw error;
    await recordTokenRefusal(destination.id, error, now);
    await recordOutcomes(
      null,
      items.map((item) => settle(item, outcome, module, opts, now)),
      now,
    );
    return;
  }
  const itemOf = new Map(items.map((item) => [item.event as DeliveryEvent, item]));
  const plan = planRequests(
    module,
    items.map((i) => i.event),
    settings,
  );
  await recordOutcomes(
    null,
    plan.rejected.map((r) =>
      settle(itemOf.get(r.event)!, { outcome: "permanent", reason: r.reason, code: r.code }, module, opts, now),
    ),
    now,
  );
  // One record in flight: the previous request's is written while the next one is sent.
  let recording: Promise<void> | null = null;
  for (const [i, planned] of plan.requests.entries()) {
    if (opts.deadline?.passed()) {
      await opts.deadline.giveBack(
        plan.requests.slice(i).flatMap((p) => p.events.map((event) => itemOf.get(event)!.claim.id)),
      );
      break;
    }
    const exchange = await timed(opts, "send", () => send(planned.request, opts.timeoutMs ?? 10_000, opts.fetchImpl));
    const classified =
      refusedOutcome(exchange.answer) ??
      (tokenRejected(module, destination.id, settings.secrets, exchange.answer)
        ? TOKEN_REJECTED
        : module.classify(exchange.answer, planned.events, settings));
    const settledAt = opts.now?.() ?? new Date();
    const settled = planned.events.map((event, i) =>
      settle(
        itemOf.get(event)!,
        Array.isArray(classified)
          ? (classified[i] ?? { outcome: "retry", reason: "no result for this event" })
          : classified,
        module,
        opts,
        settledAt,
      ),
    );
    await recording;
    recording = timed(opts, "record", () =>
      recordOutcomes(
        { destinationId: destination.id, method: planned.request.method, request: planned.request.log, ...exchange },
        settled,
        settledAt,
      ),
    );
    recording.catch(() => undefined); // awaited below or by the worker: not an unhandled rejection meanwhile
  }
  if (recording && opts.recordInBackground) opts.recordInBackground(recording);
  else await recording;
}

/** Why a claimed row cannot be sent, kept as the skip's code, and what the log says. */
export const GONE_REASONS = {
  event_expired: "the event is no longer stored (expired by retention)",
  destination_deleted: "the destination was deleted",
} as const;

/** A claimed row whose event or destination is gone: settled as skipped (no request, no retry). */
function gone(claim: ClaimedDelivery, code: keyof typeof GONE_REASONS): Settled {
  return {
    deliveryId: claim.id,
    attempt: claim.attempts + 1,
    outcome: "skipped",
    reason: GONE_REASONS[code],
    status: "skipped",
    nextAttemptAt: null,
    code,
  };
}

export async function deliverClaimed(claimed: ClaimedDelivery[], opts: DeliverOptions): Promise<void> {
  if (claimed.length === 0) return;
  const now = opts.now?.() ?? new Date();
  const destinations = new Map<string, LoadedDestination>();
  const byDestination = new Map<string, Item[]>();
  const early: Settled[] = [];
  for (const claim of claimed) {
    if (!claim.event || !claim.destination) {
      // Nothing left to send (left leased, the row would be claimed again forever): a skip, counted like the others.
      early.push(gone(claim, claim.destination ? "event_expired" : "destination_deleted"));
      continue;
    }
    const destination = destinations.get(claim.destinationId) ?? openDestination(claim.destination);
    destinations.set(destination.id, destination);
    const item = { claim, event: claim.eventName ? { ...claim.event, eventName: claim.eventName } : claim.event };
    const module = opts.modules[destination.type];
    if (!destination.enabled || !claim.event.mappingId || !claim.toggleOn) {
      early.push(
        settle(
          item,
          {
            outcome: "skipped",
            reason: destination.enabled
              ? "the mapping no longer sends to this destination"
              : "the destination is disabled",
          },
          module,
          opts,
          now,
        ),
      );
    } else if (!module) {
      early.push(
        settle(
          item,
          { outcome: "permanent", reason: `no delivery module for ${destination.type}`, code: "settings" },
          module,
          opts,
          now,
        ),
      );
    } else {
      const items = byDestination.get(destination.id) ?? [];
      items.push(item);
      byDestination.set(destination.id, items);
    }
  }
  await recordOutcomes(null, early, now);
  await Promise.all(
    [...byDestination.entries()].map(async ([destinationId, items]) => {
      const destination = destinations.get(destinationId)!;
      await deliverToDestination(items, destination, opts.modules[destination.type], opts);
    }),
  );
}
