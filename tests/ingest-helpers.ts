// Ingestion fixtures: a write key for a test workspace and one-call helpers.

import { db } from "@/lib/db";
import { withPayload } from "@/lib/events/payloads";
import type { CallResult } from "@/lib/ingest/calls";
import { captureCall, identifyCall } from "@/lib/ingest/capture-api";
import { commitCalls } from "@/lib/ingest/group-commit";
import { registrySnapshot } from "@/lib/ingest/registry-snapshot";
import { authenticateWriteKey } from "@/lib/ingest/write-keys";
import { createWriteKey } from "@/lib/registry/sources";
import { captureSchema, identifySchema } from "@/lib/validations/ingest";
import type { TestWorkspace } from "./helpers";

export async function writeKeyFor(ws: TestWorkspace, source = "heap", allowed: string[] = [], test = false) {
  const src = await db().source.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, key: source } });
  const created = await createWriteKey(ws.actors.admin, src.id, {
    name: `test ${source}`,
    allowed_sources: allowed,
    test,
  });
  return created.key;
}

/** Sends one /api/capture body through the same path as the route (minus HTTP). */
export async function capture(key: string, body: Record<string, unknown>): Promise<CallResult> {
  const info = await authenticateWriteKey(key);
  const call = captureCall(info, await registrySnapshot(info.workspaceId), captureSchema.parse(body), body);
  const [result] = await commitCalls([call]);
  return result!;
}

export async function identify(key: string, body: Record<string, unknown>): Promise<CallResult> {
  const info = await authenticateWriteKey(key);
  const [result] = await commitCalls([identifyCall(info, identifySchema.parse(body))]);
  return result!;
}

/** The same, as if it arrived at `at` (ISO): how tests put events in a given month. */
export async function captureAt(key: string, body: Record<string, unknown>, at: string): Promise<CallResult> {
  const info = await authenticateWriteKey(key);
  const call = captureCall(info, await registrySnapshot(info.workspaceId), captureSchema.parse(body), body);
  const [result] = await commitCalls([{ ...call, receivedAt: at } as typeof call]);
  return result!;
}

/** A stored event with its payload as the readers see it (EventPayload row, or the expired marker). */
export const storedEvent = async (workspaceId: string, eventId: string) =>
  withPayload(await db().event.findFirstOrThrow({ where: { workspaceId, dedupKey: eventId } }));

/** Delivery rows name their event by row id (no relation: Event is partitioned): a `where` for the deliveries of some event_ids. */
export async function ofEvents(eventIds: string | string[], workspaceId?: string) {
  const rows = await db().event.findMany({
    where: { eventId: { in: [eventIds].flat() }, ...(workspaceId ? { workspaceId } : {}) },
    select: { id: true },
  });
  return { eventRowId: { in: rows.map((r) => r.id) } };
}
