// Turns a batch of due events into the requests a module allows (validation, age, grouping, batch and size caps).
import { groupBy } from "@/lib/delivery/destinations/shared";
import type {
  AttemptCode,
  DeliveryEvent,
  DestinationModule,
  DestinationSettings,
  HttpRequestSpec,
  Outcome,
} from "@/lib/delivery/destinations/types";

export interface PlannedRequest {
  events: DeliveryEvent[];
  request: HttpRequestSpec;
}

export interface RejectedEvent {
  event: DeliveryEvent;
  /** Why it can never be delivered: the engine records it as a permanent failure without sending. */
  reason: string;
  code: AttemptCode;
}

export interface DeliveryPlan {
  requests: PlannedRequest[];
  rejected: RejectedEvent[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

function rejectReason<C, S>(
  module: DestinationModule<C, S>,
  event: DeliveryEvent,
  settings: DestinationSettings<C, S>,
): { reason: string; code: AttemptCode } | null {
  const { now } = settings;
  if (now && module.maxEventAgeMs !== undefined && now.getTime() - event.occurredAt.getTime() > module.maxEventAgeMs) {
    const limit =
      module.maxEventAgeMs % DAY_MS === 0
        ? `${module.maxEventAgeMs / DAY_MS} days`
        : `${module.maxEventAgeMs / 3_600_000} hours`;
    return { reason: `event is older than ${limit}: ${module.label} would reject it`, code: "too_old" };
  }
  const reason = module.validateEvent?.(event, settings);
  if (!reason) return null;
  return { reason, code: module.unmatchable?.(event, settings) ? "unmatchable" : "invalid" };
}

/**
 * Plans delivery of `events`: rejects undeliverable or stale ones (stale only when settings.now is given), keeps
 * events with one groupKey together, respects maxBatch / batchLimit, and halves batches whose body passes maxBodyBytes.
 */
export function planRequests<C, S>(
  module: DestinationModule<C, S>,
  events: DeliveryEvent[],
  settings: DestinationSettings<C, S>,
): DeliveryPlan {
  const plan: DeliveryPlan = { requests: [], rejected: [] };
  const deliverable: DeliveryEvent[] = [];
  for (const event of events) {
    const rejected = rejectReason(module, event, settings);
    if (rejected) plan.rejected.push({ event, ...rejected });
    else deliverable.push(event);
  }
  const limit = Math.max(1, module.batchLimit?.(settings) ?? module.maxBatch);
  const groups = module.groupKey ? groupBy(deliverable, (e) => module.groupKey?.(e) ?? "") : [deliverable];

  const build = (chunk: DeliveryEvent[]) => {
    let request: HttpRequestSpec;
    try {
      request = module.buildRequest(chunk, settings);
    } catch (error) {
      const reason = `request could not be built: ${error instanceof Error ? error.message : String(error)}`;
      for (const event of chunk) plan.rejected.push({ event, reason, code: "unbuildable" });
      return;
    }
    const size = Buffer.byteLength(request.body);
    if (module.maxBodyBytes !== undefined && size > module.maxBodyBytes) {
      if (chunk.length === 1 && chunk[0]) {
        plan.rejected.push({
          event: chunk[0],
          reason: `request body of ${size} bytes exceeds ${module.label}'s ${module.maxBodyBytes}`,
          code: "unbuildable",
        });
        return;
      }
      const middle = Math.ceil(chunk.length / 2);
      build(chunk.slice(0, middle));
      build(chunk.slice(middle));
      return;
    }
    plan.requests.push({ events: chunk, request });
  };

  for (const group of groups) for (let i = 0; i < group.length; i += limit) build(group.slice(i, i + limit));
  return plan;
}

/** One outcome per event from a classification (whole-request outcomes are shared; missing per-event ones retry). */
export function outcomesPerEvent(events: DeliveryEvent[], result: Outcome | Outcome[]): Outcome[] {
  if (!Array.isArray(result)) return events.map(() => result);
  return events.map(
    (_, i) => result[i] ?? { outcome: "retry", reason: "the platform returned no result for this event" },
  );
}
