// TrackLayer's ingest endpoints: /api/capture, /api/identify and /api/batch.
import { NextResponse } from "next/server";
import { assertNoNul } from "@/lib/api/json-text";
import { AppError, parseInput } from "@/lib/errors";
import { type Call, type IdentifyCall, prepareEvent } from "@/lib/ingest/calls";
import { commitCalls } from "@/lib/ingest/group-commit";
import { assertItemSize, ingestError, readBody, resultResponse } from "@/lib/ingest/http";
import { type RegistrySnapshot, registrySnapshot } from "@/lib/ingest/registry-snapshot";
import { assertLiveKey, authenticateWriteKey, type WriteKeyInfo, writeKeyFromHeaders } from "@/lib/ingest/write-keys";
import {
  batchEnvelopeSchema,
  batchItemTypeSchema,
  type CaptureInput,
  captureSchema,
  type IdentifyInput,
  identifySchema,
  MAX_BATCH_BYTES,
  MAX_EVENT_BYTES,
} from "@/lib/validations/ingest";

export function captureCall(
  key: WriteKeyInfo,
  snapshot: RegistrySnapshot,
  input: CaptureInput,
  payload: unknown,
): Call {
  return prepareEvent(key, snapshot, {
    type: "capture",
    eventId: input.event_id,
    sourceEvent: input.event,
    sourceKey: input.source,
    userId: input.user_id,
    anonymousId: input.anonymous_id,
    properties: input.properties,
    context: input.context,
    timestamp: input.timestamp,
    payload,
  });
}

export function identifyCall(
  key: WriteKeyInfo,
  input: IdentifyInput,
  via = "identify",
  callRef: string | null = null,
): IdentifyCall {
  assertLiveKey(key, "identify (it links ids and sets profile traits)");
  return {
    kind: "identify",
    workspaceId: key.workspaceId,
    userId: input.user_id,
    anonymousId: input.anonymous_id ?? null,
    traits: input.traits,
    via,
    callRef,
    at: input.timestamp ? new Date(input.timestamp).toISOString() : new Date().toISOString(),
  };
}

async function authenticate(request: Request) {
  const key = await authenticateWriteKey(writeKeyFromHeaders(request.headers));
  return { key, snapshot: await registrySnapshot(key.workspaceId) };
}

export async function handleCapture(request: Request): Promise<NextResponse> {
  try {
    const { key, snapshot } = await authenticate(request);
    const { json } = await readBody(request, MAX_EVENT_BYTES);
    const input = parseInput(captureSchema, json);
    const [result] = await commitCalls([captureCall(key, snapshot, input, json)]);
    return resultResponse(result!);
  } catch (error) {
    return ingestError(error);
  }
}

export async function handleIdentify(request: Request): Promise<NextResponse> {
  try {
    const { key } = await authenticate(request);
    const { json } = await readBody(request, MAX_EVENT_BYTES);
    const [result] = await commitCalls([identifyCall(key, parseInput(identifySchema, json))]);
    return resultResponse(result!);
  } catch (error) {
    return ingestError(error);
  }
}

type ItemOutcome = { index: number; result?: { status: number; body: Record<string, unknown> } };

/** Each item is validated and answered on its own; valid ones are stored together, atomically. */
export async function handleBatch(request: Request): Promise<NextResponse> {
  try {
    const { key, snapshot } = await authenticate(request);
    const { json, bytes } = await readBody(request, MAX_BATCH_BYTES, { checkNul: false });
    const { batch } = parseInput(batchEnvelopeSchema, json);
    const outcomes: ItemOutcome[] = [];
    const calls: { index: number; call: Call }[] = [];
    batch.forEach((item, index) => {
      try {
        assertItemSize(item, bytes, MAX_EVENT_BYTES, "Item");
        assertNoNul(item, "Item");
        const { type, ...rest } = parseInput(batchItemTypeSchema, item, "item");
        const call =
          type === "capture"
            ? captureCall(key, snapshot, parseInput(captureSchema, rest, "item"), rest)
            : identifyCall(key, parseInput(identifySchema, rest, "item"));
        calls.push({ index, call });
      } catch (error) {
        const e = error instanceof AppError ? error : new AppError("invalid_request", "Invalid item");
        outcomes[index] = {
          index,
          result: {
            status: e.status,
            body: { error: { code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}) } },
          },
        };
      }
    });
    const results = calls.length ? await commitCalls(calls.map((c) => c.call)) : [];
    calls.forEach((c, i) => {
      outcomes[c.index] = { index: c.index, result: results[i]! };
    });
    const items = outcomes.map((o) => ({ index: o.index, http_status: o.result!.status, ...o.result!.body }));
    const summary: Record<string, number> = {};
    for (const o of outcomes) {
      const label = String(o.result!.body.status ?? (o.result!.body.error as { code: string }).code);
      summary[label] = (summary[label] ?? 0) + 1;
    }
    return NextResponse.json({ received: batch.length, summary, results: items }, { status: 200 });
  } catch (error) {
    return ingestError(error);
  }
}
