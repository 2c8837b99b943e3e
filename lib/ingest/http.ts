// HTTP plumbing for the ingest endpoints: bounded body reading (gzip accepted, bombs
// refused), JSON parsing, and the two error shapes (TrackLayer's and Segment's).

import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { AppError, CommitUnknownError, toErrorBody } from "@/lib/errors";
import type { CallResult } from "@/lib/ingest/calls";

/**
 * Reads an ingest body (gzip accepted; see lib/api/body.ts). Batches pass `checkNul: false` and
 * check each item on its own (assertNoNul), so one item holding a NUL fails alone.
 */
export function readBody(request: Request, maxBytes: number, { checkNul = true } = {}) {
  return readJson(request, { maxBytes, checkNul });
}

/**
 * Throws when one item of a batch is over the per-event limit. A body within that limit cannot
 * hold such an item, so only larger bodies pay for measuring their items.
 */
export function assertItemSize(item: unknown, bodyBytes: number, maxBytes: number, what: string): void {
  if (bodyBytes > maxBytes && Buffer.byteLength(JSON.stringify(item)) > maxBytes)
    throw new AppError("payload_too_large", `${what} exceeds ${maxBytes / 1024} KB`);
}

export function resultResponse(result: CallResult): NextResponse {
  return NextResponse.json(result.body, { status: result.status });
}

const RETRY = { status: 503, headers: { "retry-after": "1" } };
const COMMIT_UNKNOWN = {
  code: "commit_unknown",
  message:
    "May not be stored; retrying with the same event_id is safe (the database connection was lost while committing)",
};

/** TrackLayer's own endpoints: { error: { code, message, issues? } }. */
export function ingestError(error: unknown): NextResponse {
  const { status, body } = toErrorBody(error);
  if (error instanceof CommitUnknownError) return NextResponse.json({ error: COMMIT_UNKNOWN }, RETRY);
  if (status >= 500)
    return NextResponse.json(
      { error: { code: "unavailable", message: "Not stored; retry with the same event_id" } },
      { status: 503, headers: { "retry-after": "1" } },
    );
  return NextResponse.json(body, { status });
}

/** Segment-compatible endpoints: { code, message } at the top level, as its SDKs read it. */
export function segmentError(error: unknown): NextResponse {
  const { status, body } = toErrorBody(error);
  if (error instanceof CommitUnknownError) return NextResponse.json(COMMIT_UNKNOWN, RETRY);
  if (status >= 500)
    return NextResponse.json(
      { code: "unavailable", message: "Not stored; retry" },
      { status: 503, headers: { "retry-after": "1" } },
    );
  return NextResponse.json(
    { code: body.error.code, message: body.error.message, ...(body.error.issues ? { issues: body.error.issues } : {}) },
    { status },
  );
}
