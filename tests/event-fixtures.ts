// Event rows inserted straight into the database, for the dashboard-read tests, and the demo
// workspace's ids by name.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { TestWorkspace } from "./helpers";

export const ago = (ms: number) => new Date(Date.now() - ms);
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export type EventInput = Partial<Prisma.EventUncheckedCreateInput> &
  Pick<Prisma.EventUncheckedCreateInput, "status" | "sourceEvent"> & {
    /** The raw call (its EventPayload row); null writes none, as when it expired. */
    payload?: Prisma.InputJsonValue | null;
  };

export async function insertEvent(ws: TestWorkspace, { payload, ...data }: EventInput) {
  const id = randomUUID();
  const receivedAt = (data.receivedAt as Date | undefined) ?? new Date();
  await db().event.create({
    data: {
      id,
      workspaceId: ws.workspace.id,
      eventId: `evt_${id.slice(0, 8)}`,
      payloadHash: "hash",
      occurredAt: receivedAt,
      receivedAt,
      ...data,
    },
  });
  if (payload !== null)
    await db().eventPayload.create({
      data: {
        workspaceId: ws.workspace.id,
        eventRowId: id,
        receivedAt,
        payload: payload ?? { event: data.sourceEvent },
      },
    });
  return id;
}

export async function refs(ws: TestWorkspace) {
  const [sources, canonical, mappings] = await Promise.all([
    db().source.findMany({ where: { workspaceId: ws.workspace.id } }),
    db().canonicalEvent.findMany({ where: { workspaceId: ws.workspace.id } }),
    db().mapping.findMany({ where: { workspaceId: ws.workspace.id } }),
  ]);
  return {
    source: (key: string) => sources.find((s) => s.key === key)!.id,
    canonical: (name: string) => canonical.find((c) => c.name === name)!.id,
    mapping: (sourceEvent: string) => mappings.find((m) => m.sourceEvent === sourceEvent)!.id,
  };
}
