// The brief's four checks for one event, evaluated from its trace: same user_id, same order_id /
// lead_id, stable event_id, accepted downstream (which includes the timestamp as each platform got it). Pure: each check says pass, fail or pending,
// why, and for a failure what to fix.
import { createHash } from "node:crypto";
import { text } from "@/lib/delivery/normalize";
import { businessKeyOf } from "@/lib/inspector/business-key";
import type { PayloadKeys } from "@/lib/inspector/payload-keys";

/** `not_applicable`: nothing reached a destination, so there is nothing downstream to compare. */
export type CheckStatus = "pass" | "fail" | "pending" | "not_applicable";
export type CheckKey = "same_user" | "same_business_id" | "stable_event_id" | "accepted_downstream";

export interface Check {
  key: CheckKey;
  title: string;
  status: CheckStatus;
  /** Why, in one or more sentences a user can act on. */
  reasons: string[];
  /** For failures: what to change. */
  fix?: string;
}

export interface LaneInput {
  destination: string;
  /** succeeded | pending | retrying | dead */
  status: string;
  lastError: string | null;
  ack: unknown;
  testMode: boolean;
  type: string;
  /** Keys read from the last attempt's request; undefined before any attempt, null when the request did not carry the event. */
  keys: PayloadKeys | null | undefined;
}

export interface CheckInput {
  eventId: string;
  status: string;
  canonicalEvent: string | null;
  userId: string | null;
  anonymousId: string | null;
  resolvedUserId: string | null;
  properties: Record<string, unknown>;
  /** Status of the mapping revision that was applied (approved, draft, ...), null when unmapped. */
  revisionStatus: string | null;
  /** Sent with a test write key: a revision under review may be validated (test-mode destinations only). */
  testKey: boolean;
  /** The properties the applied revision requires. */
  requiredProperties: string[];
  problems: { path: string; message: string }[];
  /** The user the event's anonymous_id is linked to in the identity graph, if any. */
  anonymousOwner: string | null;
  identityConflicts: { existingUserId: string; attemptedUserId: string; at: string }[];
  /** Later calls that reused this event_id with a different payload. */
  reusedAt: string[];
  /** Other event_ids the same business id arrived under (same canonical event). */
  siblingEventIds: string[];
  lanes: LaneInput[];
  /** The destinations the mapping sends to (toggled on), and whether each is switched on itself. */
  mappingDestinations: { destination: string; switchedOn: boolean }[];
}

const digests = (value: string) =>
  ["sha256", "sha1", "md5"].map((algorithm) => createHash(algorithm).update(value).digest("hex"));

/** An event_id derives from a business id when it contains it or is a hex digest of it (or of "<event>:<id>"). */
export function derivesFrom(eventId: string, businessId: string, canonicalEvent: string | null): boolean {
  const id = eventId.toLowerCase();
  if (id.includes(businessId.toLowerCase())) return true;
  const candidates = [
    businessId,
    ...(canonicalEvent ? [`${canonicalEvent}:${businessId}`, `${canonicalEvent}_${businessId}`] : []),
  ];
  return candidates.some((c) => digests(c).some((d) => id.includes(d)));
}

/**
 * Fails first, then pending; a check that compares what destinations received is `not_applicable`
 * when no destination received or will receive the event (`downstream`: the lanes it compares, and
 * what was verified here without them).
 */
function verdict(
  key: CheckKey,
  title: string,
  fails: string[],
  pending: string[],
  passes: string[],
  fix?: string,
  downstream?: { lanes: LaneInput[]; local: string[] },
): Check {
  if (fails.length) return { key, title, status: "fail", reasons: fails, ...(fix ? { fix } : {}) };
  if (pending.length) return { key, title, status: "pending", reasons: pending };
  if (downstream && attempted(downstream.lanes).length === 0)
    return { key, title, status: "not_applicable", reasons: [...downstream.local, NOTHING_SENT] };
  return { key, title, status: "pass", reasons: passes };
}

const NOTHING_SENT = "no destination received this event, so there is nothing downstream to compare";

/** Lanes whose request has been sent: pending when none yet. */
const attempted = (lanes: LaneInput[]) => lanes.filter((l) => l.keys !== undefined);
const waiting = (lanes: LaneInput[]) =>
  lanes
    .filter((l) => l.keys === undefined && l.status !== "skipped" && l.status !== "dead")
    .map((l) => `${l.destination}: not sent yet`);
const missingEntry = (lanes: LaneInput[]) =>
  lanes.filter((l) => l.keys === null).map((l) => `${l.destination}: the logged request does not carry this event`);

export function checkSameUser(input: CheckInput): Check {
  const fails: string[] = [];
  const anchor = input.userId ?? input.resolvedUserId;
  for (const c of input.identityConflicts) {
    fails.push(
      `anonymous_id ${input.anonymousId} is linked to user ${c.existingUserId}, but a call at ${c.at} claimed it for ${c.attemptedUserId} (identity conflict, not merged)`,
    );
  }
  if (input.userId && input.anonymousOwner && input.anonymousOwner !== input.userId) {
    fails.push(`the event says user ${input.userId} but its anonymous_id resolves to ${input.anonymousOwner}`);
  }
  if (!anchor) fails.push(`anonymous_id ${input.anonymousId ?? "(none)"} is not linked to any user_id yet`);
  const lanes = attempted(input.lanes);
  for (const lane of lanes) {
    const user = lane.keys?.user;
    if (!user?.expected) continue;
    if (user.value === undefined) fails.push(`${lane.destination}: ${user.field} is missing`);
    else if (user.value !== user.expected)
      fails.push(`${lane.destination}: ${user.field} is ${user.value}, expected ${user.expected}`);
  }
  const carried = lanes.filter((l) => l.keys?.user?.value !== undefined).map((l) => l.destination);
  return verdict(
    "same_user",
    "Same user_id",
    fails,
    waiting(input.lanes),
    [
      `user ${anchor} agrees with the identity graph${carried.length ? `; ${carried.join(", ")} carry the same user key` : ""}`,
    ],
    !anchor
      ? "Send /api/identify with this anonymous_id and the user_id (or include user_id on the event) before expecting user-level matching."
      : "Make the backend send the same user_id it identified the visitor with; resolve the recorded identity conflict on the profile page.",
  );
}

export function checkSameBusinessId(input: CheckInput): Check {
  const key = businessKeyOf(input);
  if (!key)
    return {
      key: "same_business_id",
      title: "Same order_id or lead_id",
      status: "pass",
      reasons: [`${input.canonicalEvent ?? "this event"} needs no order_id or lead_id`],
    };
  const value = text(input.properties[key]);
  if (value === undefined) {
    return {
      key: "same_business_id",
      title: "Same order_id or lead_id",
      status: "fail",
      reasons: [`${input.canonicalEvent ?? "the event"} carries no ${key}`],
      fix: `Send ${key} in the event's properties and add it to the mapping's required properties so events without it are rejected.`,
    };
  }
  const fails: string[] = [];
  for (const lane of attempted(input.lanes)) {
    const business = lane.keys?.business;
    if (!business) continue;
    if (business.value === undefined)
      fails.push(`${lane.destination}: ${business.field} is missing (expected ${key} ${value})`);
    else if (business.value !== value)
      fails.push(`${lane.destination}: ${business.field} is ${business.value}, expected ${value}`);
  }
  return verdict(
    "same_business_id",
    "Same order_id or lead_id",
    fails,
    waiting(input.lanes),
    [`${key} ${value} reached every destination unchanged`],
    `Keep ${key} under that name (check the mapping's property renames and each destination's property map).`,
    { lanes: input.lanes, local: [`the event carries ${key} ${value}`] },
  );
}

export function checkStableEventId(input: CheckInput): Check {
  const fails: string[] = [];
  if (input.status === "duplicate_conflict")
    fails.push(`event_id ${input.eventId} was already used by another event with a different payload`);
  if (input.reusedAt.length) {
    fails.push(
      `event_id ${input.eventId} was reused with a different payload ${input.reusedAt.length} time(s), last at ${input.reusedAt[0]}`,
    );
  }
  const key = businessKeyOf(input);
  const businessId = key ? text(input.properties[key]) : undefined;
  if (key && businessId !== undefined) {
    if (!derivesFrom(input.eventId, businessId, input.canonicalEvent)) {
      fails.push(
        `event_id ${input.eventId} does not contain or derive from ${key} ${businessId}: it looks generated per request, so a retry would count twice`,
      );
    }
    if (input.siblingEventIds.length) {
      fails.push(
        `${key} ${businessId} also arrived under ${input.siblingEventIds.length} other event_id(s): ${input.siblingEventIds.slice(0, 5).join(", ")}`,
      );
    }
  }
  for (const lane of attempted(input.lanes)) {
    const dedup = lane.keys?.dedup;
    if (!dedup) continue;
    if (dedup.value !== dedup.expected)
      fails.push(
        `${lane.destination}: dedup key ${dedup.field} is ${dedup.value ?? "missing"}, expected ${dedup.expected}`,
      );
  }
  fails.push(...missingEntry(input.lanes));
  return verdict(
    "stable_event_id",
    "Stable event_id",
    fails,
    waiting(input.lanes),
    [
      `event_id ${input.eventId} is unique${businessId ? ` and derives from ${key} ${businessId}` : ""}, and is every destination's dedup key`,
    ],
    key
      ? `Derive event_id from the business id (e.g. "${input.canonicalEvent}_${businessId ?? `<${key}>`}") and reuse it on every retry.`
      : "Generate event_id once per business occurrence and reuse it on every retry; never reuse it for a different payload.",
    {
      lanes: input.lanes,
      local: [`event_id ${input.eventId} is unique${businessId ? ` and derives from ${key} ${businessId}` : ""}`],
    },
  );
}

function platformError(lane: LaneInput): string | null {
  const ack = (lane.ack ?? {}) as { events_received?: unknown; validationMessages?: unknown };
  if (typeof ack.events_received === "number" && ack.events_received < 1)
    return `${lane.destination}: the platform reported 0 events received`;
  if (Array.isArray(ack.validationMessages) && ack.validationMessages.length)
    return `${lane.destination}: validation messages ${JSON.stringify(ack.validationMessages)}`;
  return null;
}

export function checkAcceptedDownstream(input: CheckInput): Check {
  const title = "Accepted downstream mapping";
  const key = "accepted_downstream" as const;
  if (input.status === "unmapped")
    return {
      key,
      title,
      status: "fail",
      reasons: ["no mapping exists for this source event"],
      fix: "Promote the source event to a mapping and get it approved.",
    };
  if (input.status === "rejected") {
    return {
      key,
      title,
      status: "fail",
      reasons: input.problems.map((p) => `${p.path}: ${p.message}`),
      fix: "Send the properties the mapping requires with the declared types.",
    };
  }
  // A superseded revision was the approved one when the event arrived; test keys validate the one under review.
  const acceptable = ["approved", "superseded", ...(input.testKey ? ["draft", "in_review"] : [])];
  if (input.status === "held" || (input.revisionStatus && !acceptable.includes(input.revisionStatus))) {
    return {
      key,
      title,
      status: "fail",
      reasons: [`the mapping revision applied is ${input.revisionStatus ?? "not approved"}, so the event is held`],
      fix: "Submit the mapping for review and have growth approve it.",
    };
  }
  if (input.status !== "accepted")
    return { key, title, status: "fail", reasons: [`the event was not accepted (${input.status})`] };
  if (!input.lanes.length) return noDestination(input);
  const fails: string[] = [];
  const pending: string[] = [];
  const passes: string[] = [];
  for (const lane of input.lanes) {
    if (lane.status === "skipped") passes.push(`${lane.destination}: skipped (switched off before sending)`);
    else if (lane.status === "dead") fails.push(`${lane.destination}: ${lane.lastError ?? "dead-lettered"}`);
    else if (lane.status !== "succeeded")
      pending.push(`${lane.destination}: ${lane.status}${lane.lastError ? ` (${lane.lastError})` : ""}`);
    else {
      const error = platformError(lane);
      const time = lane.keys?.time;
      if (error) fails.push(error);
      else if (time?.problem) fails.push(`${lane.destination}: the timestamp does not travel: ${time.problem}`);
      else
        passes.push(
          `${lane.destination}${lane.testMode ? " (test mode)" : ""} accepted${lane.ack ? ` ${JSON.stringify(lane.ack)}` : ""}${time ? `; ${time.field} ${JSON.stringify(time.sent)} (${time.unit}) matches occurred_at` : ""}`,
        );
    }
  }
  if (input.testKey && input.revisionStatus !== "approved" && input.revisionStatus !== "superseded") {
    passes.unshift(
      `revision under review (${input.revisionStatus}) validated with a test write key; approval makes it live`,
    );
  }
  return verdict(
    key,
    title,
    fails,
    pending,
    passes,
    fails.some((f) => f.includes("the timestamp does not travel"))
      ? "Send occurred_at as an ISO 8601 time with its zone (Z or ±hh:mm); each destination converts it to the unit its platform expects."
      : "Open the failed delivery, read the platform's answer, fix the destination settings or payload, then retry it.",
  );
}

/** Accepted, yet nothing was queued: say why — no destination on the mapping, or the ones it names are switched off. */
function noDestination(input: CheckInput): Check {
  const base = { key: "accepted_downstream" as const, title: "Accepted downstream mapping", status: "fail" as const };
  const toggled = input.mappingDestinations;
  const off = toggled.filter((d) => !d.switchedOn).map((d) => d.destination);
  if (!toggled.length)
    return {
      ...base,
      reasons: ["no destination is enabled on this mapping"],
      fix: "Enable at least one destination on the mapping (test mode first).",
    };
  if (off.length === toggled.length)
    return {
      ...base,
      reasons: [
        `the mapping sends to ${off.join(" and ")}, but ${off.length === 1 ? "it is" : "they are"} switched off, so nothing was queued`,
      ],
      fix: `Switch on ${off.join(" or ")} on the Destinations page (test mode first), then send the event again or backfill.`,
    };
  return {
    ...base,
    reasons: ["the mapping's destinations were enabled after this event arrived, so it was not queued"],
    fix: "Backfill the mapping to the destination (a dry run counts first), or send a new event.",
  };
}

export function evaluateChecks(input: CheckInput): Check[] {
  return [checkSameUser(input), checkSameBusinessId(input), checkStableEventId(input), checkAcceptedDownstream(input)];
}

/** The overall outcome: passed only when all four pass; pending while any is pending and none failed. */
export function overallOutcome(checks: Check[]): CheckStatus {
  if (checks.some((c) => c.status === "fail")) return "fail";
  if (checks.some((c) => c.status === "pending")) return "pending";
  return "pass";
}
