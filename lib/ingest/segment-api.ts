// Segment HTTP Tracking API compatibility, so existing SDKs work unchanged: /v1/track,
// /v1/identify, /v1/batch, and page / screen / group / alias (stored, never canonical).
import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { assertNoNul } from "@/lib/api/json-text";
import { AppError, parseInput } from "@/lib/errors";
import { type Call, type CallResult, prepareEvent } from "@/lib/ingest/calls";
import { identifyCall } from "@/lib/ingest/capture-api";
import { commitCalls } from "@/lib/ingest/group-commit";
import { assertItemSize, readBody, segmentError } from "@/lib/ingest/http";
import { type RegistrySnapshot, registrySnapshot } from "@/lib/ingest/registry-snapshot";
import { assertLiveKey, authenticateWriteKey, type WriteKeyInfo, writeKeyFromHeaders } from "@/lib/ingest/write-keys";
import {
  MAX_BATCH_BYTES,
  MAX_EVENT_BYTES,
  SEGMENT_TYPES,
  type SegmentMessage,
  type SegmentType,
  segmentBatchSchema,
  segmentMessageSchema,
} from "@/lib/validations/ingest";

const stringOrNull = (v: unknown) => (typeof v === "string" && v ? v : undefined);

function toCall(
  key: WriteKeyInfo,
  snapshot: RegistrySnapshot,
  type: SegmentType,
  m: SegmentMessage,
  raw: unknown,
): Call {
  const eventId = m.messageId ?? randomUUID();
  if (type === "identify" && m.userId) {
    return identifyCall(
      key,
      {
        user_id: m.userId,
        anonymous_id: m.anonymousId,
        traits: m.traits ?? (m.context?.traits as Record<string, unknown>) ?? {},
        timestamp: m.timestamp,
      },
      "v1/identify",
      eventId,
    );
  }
  if (type === "track" && !m.event)
    throw new AppError("invalid_request", "Invalid track message", [
      { path: "event", message: "is required for track" },
    ]);
  const sourceEvent =
    type === "track"
      ? m.event!
      : type === "group"
        ? (m.groupId ?? "group")
        : type === "alias"
          ? "alias"
          : (stringOrNull(m.name) ?? type);
  if (type === "alias") assertLiveKey(key, "alias (it links ids in the identity graph)");
  if (type === "alias" && !(m.userId && m.previousId)) {
    throw new AppError("invalid_request", "Invalid alias message", [
      { path: "previousId", message: "alias needs previousId and userId" },
    ]);
  }
  return prepareEvent(key, snapshot, {
    type,
    eventId,
    sourceEvent,
    userId: m.userId,
    anonymousId: m.anonymousId,
    properties: (type === "group" || type === "identify" ? m.traits : m.properties) ?? {},
    context: m.context,
    timestamp: m.timestamp,
    payload: raw,
    ...(type === "alias" ? { link: { userId: m.userId!, anonymousId: m.previousId! } } : {}),
  });
}

async function authenticate(request: Request, body: unknown) {
  const fromBody =
    body && typeof body === "object" ? stringOrNull((body as { writeKey?: unknown }).writeKey) : undefined;
  const key = await authenticateWriteKey(writeKeyFromHeaders(request.headers) ?? fromBody);
  return { key, snapshot: await registrySnapshot(key.workspaceId) };
}

function messageType(raw: unknown, fallback?: SegmentType): SegmentType {
  const type = (raw as { type?: unknown } | null)?.type ?? fallback;
  if (!SEGMENT_TYPES.includes(type as SegmentType)) {
    throw new AppError("invalid_request", "Unknown message type", [
      { path: "type", message: `must be one of ${SEGMENT_TYPES.join(", ")}` },
    ]);
  }
  return type as SegmentType;
}

function segmentBody(result: CallResult) {
  if (result.status < 300) return { success: true, ...result.body };
  const error = result.body.error as { code: string; message: string; issues?: unknown };
  return { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) };
}

export async function handleSegmentMessage(request: Request, type: SegmentType): Promise<NextResponse> {
  try {
    const { json } = await readBody(request, MAX_EVENT_BYTES);
    const { key, snapshot } = await authenticate(request, json);
    const message = parseInput(segmentMessageSchema, json, "message");
    const [result] = await commitCalls([toCall(key, snapshot, messageType(json, type), message, json)]);
    return NextResponse.json(segmentBody(result!), { status: result!.status === 202 ? 200 : result!.status });
  } catch (error) {
    return segmentError(error);
  }
}

export async function handleSegmentBatch(request: Request): Promise<NextResponse> {
  try {
    const { json, bytes } = await readBody(request, MAX_BATCH_BYTES, { checkNul: false });
    const { key, snapshot } = await authenticate(request, json);
    const { batch } = parseInput(segmentBatchSchema, json);
    const results: { index: number; status: number; body: Record<string, unknown> }[] = [];
    const calls: { index: number; call: Call }[] = [];
    batch.forEach((raw, index) => {
      try {
        assertItemSize(raw, bytes, MAX_EVENT_BYTES, "Message");
        assertNoNul(raw, "Message");
        calls.push({
          index,
          call: toCall(key, snapshot, messageType(raw), parseInput(segmentMessageSchema, raw, "message"), raw),
        });
      } catch (error) {
        const e = error instanceof AppError ? error : new AppError("invalid_request", "Invalid message");
        results.push({
          index,
          status: e.status,
          body: { code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}) },
        });
      }
    });
    const stored = calls.length ? await commitCalls(calls.map((c) => c.call)) : [];
    calls.forEach((c, i) => {
      results.push({ index: c.index, status: stored[i]!.status, body: segmentBody(stored[i]!) });
    });
    results.sort((a, b) => a.index - b.index);
    const allInvalid = calls.length === 0;
    return NextResponse.json(
      allInvalid
        ? { code: "invalid_request", message: "No message in the batch was valid", results }
        : { success: true, results },
      { status: allInvalid ? 400 : 200 },
    );
  } catch (error) {
    return segmentError(error);
  }
}
