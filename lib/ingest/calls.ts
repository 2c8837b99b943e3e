// The unit of ingestion: a prepared call (validated, resolved against the registry, ready
// to store) and the answer each one gets. Pure functions only.
import { createHash } from "node:crypto";
import { text } from "@/lib/delivery/normalize";
import { AppError, type FieldIssue } from "@/lib/errors";
import { timeOrderedId } from "@/lib/ids";
import type { RegistrySnapshot } from "@/lib/ingest/registry-snapshot";
import { guardPii, resolveEvent } from "@/lib/ingest/resolve-event";
import type { WriteKeyInfo } from "@/lib/ingest/write-keys";
import { businessKeyOf } from "@/lib/inspector/business-key";
import { stableJson } from "@/lib/stable-json";

export type EventType = "capture" | "track" | "page" | "screen" | "group" | "alias" | "identify";
export type StoredStatus = "accepted" | "held" | "unmapped" | "rejected" | "suppressed";

export interface EventCall {
  kind: "event";
  rowId: string;
  workspaceId: string;
  writeKeyId: string;
  eventId: string;
  type: EventType;
  status: StoredStatus;
  sourceId: string;
  sourceEvent: string;
  canonicalEventId: string | null;
  canonicalName: string | null;
  mappingId: string | null;
  revisionId: string | null;
  userId: string | null;
  anonymousId: string | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown> | null;
  payload: unknown;
  payloadHash: string;
  /** The business id's value (order_id / lead_id) of an event with a canonical event, as text. */
  orderKey: string | null;
  problems: FieldIssue[] | null;
  occurredAt: string;
  receivedAt: string;
  destinationIds: string[];
  hint?: string;
  /** alias: previousId → userId, besides the usual anonymous_id ↔ user_id pair. */
  link?: { userId: string; anonymousId: string };
}

export interface IdentifyCall {
  kind: "identify";
  workspaceId: string;
  userId: string;
  anonymousId: string | null;
  traits: Record<string, unknown>;
  via: string;
  callRef: string | null;
  at: string;
}

export type Call = EventCall | IdentifyCall;

export interface CallResult {
  status: number;
  body: Record<string, unknown>;
}

export function hashPayload(fields: Record<string, unknown>): string {
  return createHash("sha256").update(stableJson(fields)).digest("hex");
}

export function chooseSource(key: WriteKeyInfo, snapshot: RegistrySnapshot, sourceKey: string | undefined): string {
  if (!sourceKey) return key.defaultSourceId;
  const id = snapshot.sourceIdByKey.get(sourceKey);
  if (!id)
    throw new AppError("unprocessable", `Unknown source "${sourceKey}"`, [
      { path: "source", message: "no such source in this workspace" },
    ]);
  if (!key.allowedSourceIds.has(id)) {
    throw new AppError("forbidden", `This write key may not send for source "${sourceKey}"`, [
      { path: "source", message: "not allowed for this write key" },
    ]);
  }
  return id;
}

const iso = (value: string | undefined, fallback: string) => (value ? new Date(value).toISOString() : fallback);

export interface EventFields {
  type: EventType;
  eventId: string;
  sourceEvent: string;
  sourceKey?: string;
  userId?: string;
  anonymousId?: string;
  properties: Record<string, unknown>;
  context?: Record<string, unknown>;
  timestamp?: string;
  payload: unknown;
  link?: { userId: string; anonymousId: string };
}

export function prepareEvent(
  key: WriteKeyInfo,
  snapshot: RegistrySnapshot,
  f: EventFields,
  now = new Date().toISOString(),
): EventCall {
  const sourceId = chooseSource(key, snapshot, f.sourceKey);
  const canonicalCandidate = f.type === "capture" || f.type === "track";
  const resolution = guardPii(
    canonicalCandidate
      ? resolveEvent(snapshot, sourceId, f.sourceEvent, f.properties, key.test)
      : ({ status: "unmapped" } as const),
    snapshot,
    key.test,
  );
  const mapping = "mapping" in resolution ? resolution.mapping : null;
  const revision = "revision" in resolution ? resolution.revision : null;
  const properties = "properties" in resolution ? resolution.properties : f.properties;
  const businessKey = revision
    ? businessKeyOf({ requiredProperties: revision.required, canonicalEvent: revision.canonicalName, properties })
    : null;
  return {
    kind: "event",
    // Time-ordered: new rows append to the primary-key index instead of landing on random pages.
    rowId: timeOrderedId(),
    workspaceId: key.workspaceId,
    writeKeyId: key.id,
    eventId: f.eventId,
    type: f.type,
    status: resolution.status,
    sourceId,
    sourceEvent: f.sourceEvent,
    canonicalEventId: revision?.canonicalEventId ?? null,
    canonicalName: "canonicalName" in resolution ? resolution.canonicalName : null,
    mappingId: mapping?.mappingId ?? null,
    revisionId: revision?.revisionId ?? null,
    userId: f.userId ?? null,
    anonymousId: f.anonymousId ?? null,
    properties,
    context: f.context ?? null,
    payload: f.payload,
    payloadHash: hashPayload({
      type: f.type,
      event: f.sourceEvent,
      user_id: f.userId,
      anonymous_id: f.anonymousId,
      properties: f.properties,
      source: sourceId,
      timestamp: f.timestamp,
    }),
    orderKey: businessKey ? (text(properties[businessKey]) ?? null) : null,
    problems: resolution.status === "rejected" ? resolution.problems : null,
    occurredAt: iso(f.timestamp, now),
    receivedAt: now,
    destinationIds:
      resolution.status === "accepted"
        ? ((key.test ? mapping?.testDestinationIds : mapping?.destinationIds) ?? [])
        : [],
    ...("hint" in resolution && resolution.hint ? { hint: resolution.hint } : {}),
    ...(f.link ? { link: f.link } : {}),
  };
}
