// HTTP plumbing for the ingest endpoints: bounded body reading (gzip accepted, bombs
// refused), JSON parsing, and the two error shapes (TrackLayer's and Segment's).

import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { NextResponse } from "next/server";
import { parseJsonBytes } from "@/lib/api/json-text";
import { AppError, toErrorBody } from "@/lib/errors";
import type { CallResult } from "@/lib/ingest/calls";

const gunzipAsync = promisify(gunzip);

/**
 * Reads an ingest body. Batches pass `checkNul: false` and check each item on its own
 * (assertNoNul), so one item holding a NUL fails alone.
 */
export async function readBody(
  request: Request,
  maxBytes: number,
  { checkNul = true } = {},
): Promise<{ json: unknown; bytes: number }> {
  const tooLarge = () => new AppError("payload_too_large", `Request body exceeds ${Math.round(maxBytes / 1024)} KB`);
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes * 4) throw tooLarge();
  let buffer = Buffer.from(
    await request.arrayBuffer().catch(() => {
      // The client went away mid-body (nobody reads this answer): not a server error to log.
      throw new AppError("invalid_request", "The request body ended early: the client closed the connection");
    }),
  );
  const encoding = (request.headers.get("content-encoding") ?? "").toLowerCase();
  if (encoding === "gzip") {
    try {
      buffer = await gunzipAsync(buffer, { maxOutputLength: maxBytes + 1 });
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge();
      throw new AppError("invalid_request", "Request body is not valid gzip");
    }
  } else if (encoding && encoding !== "identity") {
    throw new AppError("invalid_request", `Unsupported Content-Encoding "${encoding}" (send gzip or none)`);
  }
  if (buffer.byteLength > maxBytes) throw tooLarge();
  return { json: parseJsonBytes(buffer, { checkNul }), bytes: buffer.byteLength };
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

/** TrackLayer's own endpoints: { error: { code, message, issues? } }. */
export function ingestError(error: unknown): NextResponse {
  const { status, body } = toErrorBody(error);
  if (status === 500)
    return NextResponse.json(
      { error: { code: "unavailable", message: "Not stored; retry with the same event_id" } },
      { status: 503, headers: { "retry-after": "1" } },
    );
  return NextResponse.json(body, { status });
}

/** Segment-compatible endpoints: { code, message } at the top level, as its SDKs read it. */
export function segmentError(error: unknown): NextResponse {
  const { status, body } = toErrorBody(error);
  if (status === 500)
    return NextResponse.json(
      { code: "unavailable", message: "Not stored; retry" },
      { status: 503, headers: { "retry-after": "1" } },
    );
  return NextResponse.json(
    { code: body.error.code, message: body.error.message, ...(body.error.issues ? { issues: body.error.issues } : {}) },
    { status },
  );
}
