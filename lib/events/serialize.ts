// The JSON shape of a stored event as a table row, and the workspace lookups (source keys,
// canonical event names) it needs: Event holds plain id columns, so names are joined here.

import type { Prisma } from "@/lib/generated/prisma/client";
import { registrySnapshot } from "@/lib/ingest/registry-snapshot";

export interface EventLookups {
  /** source id → key */
  sources: Map<string, string>;
  /** canonical event id → name */
  canonicalEvents: Map<string, string>;
}

/** From the cached registry snapshot (invalidated by every registry write): no query per page or poll. */
export async function loadEventLookups(workspaceId: string): Promise<EventLookups> {
  const snapshot = await registrySnapshot(workspaceId);
  return { sources: snapshot.sourceKeyById, canonicalEvents: snapshot.canonicalNameById };
}

export const eventRowSelect = {
  id: true,
  eventId: true,
  status: true,
  kind: true,
  sourceId: true,
  sourceEvent: true,
  canonicalEventId: true,
  mappingId: true,
  userId: true,
  anonymousId: true,
  resolvedUserId: true,
  profileId: true,
  occurredAt: true,
  receivedAt: true,
} satisfies Prisma.EventSelect;

export type EventRowRecord = Prisma.EventGetPayload<{ select: typeof eventRowSelect }>;

export function serializeEventRow(e: EventRowRecord, lookups: EventLookups) {
  return {
    id: e.id,
    event_id: e.eventId,
    status: e.status,
    kind: e.kind,
    source: e.sourceId ? (lookups.sources.get(e.sourceId) ?? null) : null,
    source_event: e.sourceEvent,
    canonical_event: e.canonicalEventId ? (lookups.canonicalEvents.get(e.canonicalEventId) ?? null) : null,
    mapping_id: e.mappingId,
    /** Whom the event belongs to: the resolved user, else its own user_id, else its anonymous_id. */
    user: e.resolvedUserId ?? e.userId ?? e.anonymousId,
    user_id: e.userId,
    anonymous_id: e.anonymousId,
    resolved_user_id: e.resolvedUserId,
    profile_id: e.profileId,
    occurred_at: e.occurredAt.toISOString(),
    received_at: e.receivedAt.toISOString(),
  };
}

export type EventRowJson = ReturnType<typeof serializeEventRow>;

export interface Problem {
  path: string;
  message: string;
  /** For a value rule: the rule and its setting, e.g. { enum: ["a", "b"] }. */
  rule?: Record<string, Prisma.JsonValue>;
  /** For a value rule: the offending value (strings cut to a preview). */
  value?: Prisma.JsonValue;
}

const isRecord = (v: unknown): v is Record<string, Prisma.JsonValue> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A rejected event's `problems` as a list, or null when the column holds something else. */
export function asProblemList(problems: Prisma.JsonValue | null): Problem[] | null {
  if (!Array.isArray(problems)) return null;
  return problems.map((p) => {
    const item = (isRecord(p) ? p : {}) as { path?: unknown; message?: unknown; rule?: unknown; value?: unknown };
    return {
      path: String(item.path ?? ""),
      message: String(item.message ?? JSON.stringify(p)),
      ...(isRecord(item.rule) ? { rule: item.rule } : {}),
      ...(item.value !== undefined ? { value: item.value as Prisma.JsonValue } : {}),
    };
  });
}
