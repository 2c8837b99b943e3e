// OpenAPI: the ingest endpoints (write key): /api/capture, /api/identify, /api/batch and the Segment-compatible /v1/*.
import { z } from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from "zod-openapi";
import { errorSchema } from "@/lib/api/openapi/operation";
import * as ingest from "@/lib/validations/ingest";

/** Ingest endpoints authenticate with a write key, not a session or personal token. */
function ingestOp(summary: string, body: z.ZodType, answers: Record<string, string>): ZodOpenApiOperationObject {
  const fail = (description: string) => ({ description, content: { "application/json": { schema: errorSchema } } });
  return {
    summary,
    tags: ["Ingest"],
    security: [{ writeKey: [] }, { writeKeyBasic: [] }],
    requestBody: { content: { "application/json": { schema: body } } },
    responses: {
      ...Object.fromEntries(Object.entries(answers).map(([code, description]) => [code, { description }])),
      "400": fail("Malformed JSON or invalid fields (issues carry field paths)"),
      "401": fail("Missing, wrong or revoked write key"),
      "403": fail("The write key may not send for this source"),
      "413": fail("Body over the size limit"),
    },
  };
}

export const ingestPaths: ZodOpenApiPathsObject = {
  "/api/capture": {
    post: ingestOp("Send one event", ingest.captureSchema, {
      "202": "Stored: status accepted (deliveries queued), held (mapping not approved) or unmapped",
      "200": "Duplicate: this event_id was already stored with the same payload",
      "409": "event_id reused with a different payload; the original is kept",
      "422": "Required properties missing or mistyped (recorded as a violation)",
    }),
  },
  "/api/identify": {
    post: ingestOp("Link anonymous_id ↔ user_id and set traits", ingest.identifySchema, { "202": "Profile updated" }),
  },
  "/api/batch": {
    post: ingestOp("Up to 500 capture / identify items", ingest.batchEnvelopeSchema, { "200": "One result per item" }),
  },
  "/v1/{type}": {
    post: {
      ...ingestOp(
        "Segment HTTP Tracking API: track, identify, page, screen, group, alias, batch (import)",
        z.union([ingest.segmentMessageSchema, ingest.segmentBatchSchema]),
        { "200": "Stored (Segment's answer shape: { success: true })" },
      ),
      requestParams: { path: z.object({ type: z.enum([...ingest.SEGMENT_TYPES, "batch", "import"]) }) },
    },
  },
};
