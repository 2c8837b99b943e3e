// Ingestion fixtures: a write key for a test workspace and one-call helpers.

import { db } from "@/lib/db";
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

export const storedEvent = (workspaceId: string, eventId: string) =>
  db().event.findUniqueOrThrow({ where: { workspaceId_dedupKey: { workspaceId, dedupKey: eventId } } });
