// The raw call of stored events, kept apart from Event in EventPayload (partitioned by month of
// receivedAt, dropped on the payload retention: lib/retention/). An event whose payload row is gone
// shows the payload as EXPIRED_PAYLOAD, as the expired payloads always have.
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/registry/audit";

/** What an event's payload reads as once its retention has passed (the event row itself stays). */
export const EXPIRED_PAYLOAD = { expired: true } as const;

interface EventRef {
  id: string;
  receivedAt: Date;
}

/**
 * The payloads of some events of one workspace, keyed by event row id; a missing one has expired.
 * The receivedAt range prunes the search to the months the events arrived in.
 */
export async function loadPayloads(
  workspaceId: string,
  events: EventRef[],
  client: Pick<Tx, "eventPayload"> = db(),
): Promise<Map<string, Prisma.JsonValue>> {
  if (events.length === 0) return new Map();
  const times = events.map((e) => e.receivedAt.getTime());
  const rows = await client.eventPayload.findMany({
    where: {
      workspaceId,
      eventRowId: { in: events.map((e) => e.id) },
      receivedAt: { gte: new Date(Math.min(...times)), lte: new Date(Math.max(...times)) },
    },
    select: { eventRowId: true, payload: true },
  });
  return new Map(rows.map((r) => [r.eventRowId, r.payload]));
}

/** One event's payload as shown: the call as received, or EXPIRED_PAYLOAD. */
export const payloadIn = (payloads: Map<string, Prisma.JsonValue>, id: string): Prisma.JsonValue =>
  payloads.get(id) ?? EXPIRED_PAYLOAD;

/** One event with its payload, for the readers that show a single event. */
export async function withPayload<T extends EventRef & { workspaceId: string }>(event: T) {
  return { ...event, payload: payloadIn(await loadPayloads(event.workspaceId, [event]), event.id) };
}
