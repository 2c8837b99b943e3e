// The audiences part of the OpenAPI document: management routes (session or token), the
// members routes (write key) and Heap's segment sync webhook (Heap-Hash signed).
import { z } from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from "zod-openapi";
import { failure, op } from "@/lib/api/openapi/operation";
import * as a from "@/lib/validations/audiences";

const membersOp = (summary: string, body: z.ZodType, answers: Record<string, string>): ZodOpenApiOperationObject => ({
  summary,
  tags: ["Audiences"],
  security: [{ writeKey: [] }, { writeKeyBasic: [] }],
  requestParams: { path: a.audienceKeyParams },
  requestBody: { content: { "application/json": { schema: body } } },
  responses: {
    ...Object.fromEntries(Object.entries(answers).map(([code, description]) => [code, { description }])),
    "400": failure("Malformed JSON or invalid members (issues carry field paths)"),
    "401": failure("Missing, wrong or revoked write key"),
    "404": failure("No audience with this key in the write key's workspace"),
    "409": failure("A page disagrees with its snapshot's total_pages"),
    "413": failure(`Body over ${a.MAX_MEMBERS_BODY_BYTES / 1024 / 1024} MB (send pages)`),
  },
});

export const audiencePaths: ZodOpenApiPathsObject = {
  "/api/audiences": {
    get: op({ tag: "Audiences", summary: "Audiences with member counts" }),
    post: op({
      tag: "Audiences",
      summary: "Define an audience (admin, growth)",
      body: a.audienceCreateSchema,
      created: true,
    }),
  },
  "/api/audiences/{key}": {
    get: op({
      tag: "Audiences",
      summary: "An audience: syncs (adds / removes), per-destination status and match rate, errors",
      path: a.audienceKeyParams,
    }),
    patch: op({
      tag: "Audiences",
      summary: "Edit an audience or its destinations (a destination switched on gets a full sync)",
      path: a.audienceKeyParams,
      body: a.audienceUpdateSchema,
    }),
  },
  "/api/audiences/{key}/members": {
    get: op({
      tag: "Audiences",
      summary: "Member lookup by user_id or anonymous_id (through the identity graph)",
      path: a.audienceKeyParams,
      query: a.memberLookupQuerySchema,
    }),
    post: membersOp("Add and remove members (idempotent by request_id)", a.membersChangeSchema, {
      "200":
        "Applied: added / removed counts, the sync id, destinations queued (header Idempotent-Replayed on a replay)",
    }),
    put: membersOp(
      "Replace the membership with a snapshot (mirror mode), in one call or in pages",
      a.membersSnapshotSchema,
      {
        "200": "Applied: the diff against the current membership",
        "202": "Page stored; the snapshot is applied when its last page arrives",
      },
    ),
  },
  "/api/integrations/heap": {
    get: op({ tag: "Audiences", summary: "Heap segment sync: webhook URL and signing secret (admins)" }),
    post: op({
      tag: "Audiences",
      summary: "Set up Heap segment sync, change the identity kind or rotate the secret (admins)",
      body: a.heapIntegrationSchema,
    }),
  },
  "/api/integrations/heap/segment-sync": {
    post: {
      summary: "Heap's segment sync webhook (Heap-Hash: ts:<ms>,hmac:<base64 HMAC-SHA256(secret, ts + body)>)",
      tags: ["Audiences"],
      security: [],
      requestParams: {
        query: z.object({
          workspace: z
            .string()
            .meta({ description: "The workspace's webhook token (from GET /api/integrations/heap)" }),
        }),
      },
      requestBody: { content: { "application/json": { schema: a.heapSegmentSyncSchema } } },
      responses: {
        "200": { description: "Page accepted (applied, or pending until the sync task's last page)" },
        "400": failure("Not a segment sync body"),
        "403": failure("Unknown workspace token, bad or stale Heap-Hash signature"),
      },
    },
  },
};
