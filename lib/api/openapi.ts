// The management API's OpenAPI document, generated from the same zod schemas the routes parse.
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { accountPaths } from "@/lib/api/openapi-accounts";
import { audiencePaths } from "@/lib/api/openapi-audiences";
import * as ct from "@/lib/validations/computed-traits";
import * as d from "@/lib/validations/delivery";
import * as ev from "@/lib/validations/events";
import * as ingest from "@/lib/validations/ingest";
import * as insp from "@/lib/validations/inspector";
import * as v from "@/lib/validations/registry";

const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "invalid_request" }),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
    }),
  })
  .meta({ id: "Error" });

const idPath = z.object({ id: v.idSchema });

interface OpSpec {
  summary: string;
  tag: string;
  path?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  created?: boolean;
  /** A lookup by query that answers 404 when nothing matches. */
  notFound?: boolean;
}

export function op({ summary, tag, path, query, body, created, notFound }: OpSpec): ZodOpenApiOperationObject {
  const fail = (description: string) => ({ description, content: { "application/json": { schema: errorSchema } } });
  return {
    summary,
    tags: [tag],
    ...(path || query ? { requestParams: { ...(path ? { path } : {}), ...(query ? { query } : {}) } } : {}),
    ...(body ? { requestBody: { content: { "application/json": { schema: body } } } } : {}),
    responses: {
      [created ? "201" : "200"]: { description: created ? "Created" : "OK" },
      "400": fail("Malformed JSON or invalid fields (issues carry field paths)"),
      "401": fail("No session and no valid bearer token"),
      "403": fail("Your role does not allow this"),
      ...(path || notFound ? { "404": fail("Not found in this workspace") } : {}),
      ...(body
        ? { "409": fail("Conflict with the current state"), "422": fail("Valid JSON that does not fit the registry") }
        : {}),
    },
  };
}

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

const ingestPaths: ZodOpenApiPathsObject = {
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

/** Liveness for load balancers and the benchmark's reference; no authentication. */
const operationsPaths: ZodOpenApiPathsObject = {
  "/api/health": {
    get: {
      summary: "Liveness plus a database round trip",
      tags: ["Operations"],
      security: [],
      responses: { "200": { description: "{ status: ok, database: embedded | postgres }" } },
    },
    post: {
      summary: "Benchmark reference: reads a JSON body like /api/capture and answers 202 without storing it",
      tags: ["Operations"],
      security: [],
      responses: { "202": { description: "{ status: accepted, bytes }" } },
    },
  },
};

const paths: ZodOpenApiPathsObject = {
  ...ingestPaths,
  ...operationsPaths,
  ...audiencePaths(op, errorSchema),
  ...accountPaths(op, errorSchema),
  "/api/mappings": {
    get: op({ tag: "Mappings", summary: "List mappings", query: v.mappingListQuerySchema }),
    post: op({ tag: "Mappings", summary: "Propose a mapping (draft)", body: v.mappingCreateSchema, created: true }),
  },
  "/api/mappings/bulk": {
    post: op({ tag: "Mappings", summary: "Submit or approve many mappings", body: v.mappingBulkSchema }),
  },
  "/api/mappings/{id}": {
    get: op({ tag: "Mappings", summary: "A mapping with its revisions and diffs", path: idPath }),
    patch: op({
      tag: "Mappings",
      summary: "Edit a mapping or toggle its destinations",
      path: idPath,
      body: v.mappingUpdateSchema,
    }),
  },
  ...Object.fromEntries(
    v.MAPPING_ACTIONS.map((action) => [
      `/api/mappings/{id}/${action}`,
      {
        post: op({
          tag: "Mappings",
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a mapping`,
          path: idPath,
          body: v.mappingReviewSchema,
        }),
      },
    ]),
  ),
  "/api/canonical-events": {
    get: op({ tag: "Canonical events", summary: "The canonical event catalog" }),
    post: op({
      tag: "Canonical events",
      summary: "Add a canonical event",
      body: v.canonicalEventCreateSchema,
      created: true,
    }),
  },
  "/api/canonical-events/{id}": {
    patch: op({
      tag: "Canonical events",
      summary: "Edit a canonical event",
      path: idPath,
      body: v.canonicalEventUpdateSchema,
    }),
  },
  "/api/sources": {
    get: op({ tag: "Sources", summary: "Sources and write key prefixes" }),
    post: op({ tag: "Sources", summary: "Add a source", body: v.sourceCreateSchema, created: true }),
  },
  "/api/sources/{id}/keys": {
    post: op({
      tag: "Sources",
      summary: "Create a write key (returned once)",
      path: idPath,
      body: v.writeKeyCreateSchema,
      created: true,
    }),
  },
  "/api/sources/{id}/keys/{keyId}": {
    delete: op({
      tag: "Sources",
      summary: "Revoke a write key",
      path: z.object({ id: v.idSchema, keyId: v.idSchema }),
    }),
  },
  "/api/computed-traits": {
    get: op({ tag: "Computed traits", summary: "Rule-based computed traits of the workspace" }),
    post: op({
      tag: "Computed traits",
      summary: "Define a computed trait (rule grammar: lib/traits/rule-grammar.ts)",
      body: ct.computedTraitCreateSchema,
      created: true,
    }),
  },
  "/api/computed-traits/{id}": {
    get: op({ tag: "Computed traits", summary: "One computed trait definition", path: idPath }),
    patch: op({
      tag: "Computed traits",
      summary: "Change a computed trait (affected profiles are recomputed)",
      path: idPath,
      body: ct.computedTraitUpdateSchema,
    }),
    delete: op({ tag: "Computed traits", summary: "Delete a computed trait (its values are removed)", path: idPath }),
  },
  "/api/events": {
    get: op({ tag: "Events", summary: "Stored events, filtered and paged", query: ev.eventListQuerySchema }),
  },
  "/api/events/{id}": {
    get: op({ tag: "Events", summary: "One stored event with payload, problems and deliveries", path: idPath }),
  },
  "/api/events/{id}/trace": {
    get: op({
      tag: "Inspector",
      summary:
        "One event end to end: stages, destination lanes with attempts, and the four checks (id = event_id or row id)",
      path: z.object({ id: z.string().min(1).max(200) }),
    }),
  },
  "/api/mappings/{id}/{action}": {
    post: op({
      tag: "Mappings",
      summary: "Submit, approve, reject or deprecate a mapping (each action has its own permission)",
      path: z.object({ id: v.idSchema, action: v.mappingActionSchema }),
      body: v.mappingReviewSchema,
    }),
  },
  "/api/mappings/{id}/validations": {
    get: op({ tag: "Inspector", summary: "Recent guided validations of a mapping", path: idPath }),
    post: op({
      tag: "Inspector",
      summary: "Record a validation: the event's four checks decide passed / failed (409 while pending)",
      path: idPath,
      body: insp.validationCreateSchema,
      created: true,
    }),
  },
  "/api/inspector/stream": {
    get: op({
      tag: "Inspector",
      summary: "Server-sent events: recent matching events, then each new one (event: rows)",
      query: insp.inspectorFilterSchema,
    }),
  },
  "/api/profiles": {
    get: op({
      tag: "Events",
      summary: "Look up a profile by user_id or anonymous_id",
      query: ev.profileLookupQuerySchema,
      notFound: true,
    }),
  },
  "/api/mappings/{id}/backfill": {
    post: op({
      tag: "Delivery",
      summary: "Backfill a destination toggled on later (dry_run counts first)",
      path: idPath,
      body: d.backfillSchema,
    }),
  },
  "/api/destinations": {
    get: op({ tag: "Delivery", summary: "Destinations with health (secrets are never returned)" }),
    post: op({
      tag: "Delivery",
      summary: "Add a destination (secrets write-only, stored encrypted)",
      body: d.destinationCreateSchema,
      created: true,
    }),
  },
  "/api/destinations/{id}": {
    get: op({ tag: "Delivery", summary: "A destination: settings, names of the secrets set, health", path: idPath }),
    patch: op({
      tag: "Delivery",
      summary:
        "Change settings or secrets (null removes a secret). Changing the host of any URL setting takes the admin role " +
        "(403) and every stored secret re-entered in the same request (422 secrets_required, fields secrets.<name>)",
      path: idPath,
      body: d.destinationUpdateSchema,
    }),
  },
  "/api/destinations/{id}/test": {
    post: op({ tag: "Delivery", summary: "Send one synthetic event in test mode", path: idPath }),
  },
  "/api/destinations/{id}/validate": {
    post: op({
      tag: "Delivery",
      summary: "GA4: validate a sample or stored event with the Measurement Protocol debug endpoint",
      path: idPath,
      body: d.ga4ValidateSchema,
    }),
  },
  "/api/deliveries": { get: op({ tag: "Delivery", summary: "Delivery log", query: d.deliveryListQuerySchema }) },
  "/api/deliveries/{id}": { get: op({ tag: "Delivery", summary: "One delivery with every attempt", path: idPath }) },
  "/api/deliveries/{id}/retry": {
    post: op({ tag: "Delivery", summary: "Re-queue a failed delivery (never an accepted one)", path: idPath }),
  },
  "/api/deliveries/replay": {
    post: op({
      tag: "Delivery",
      summary: "Count (dry_run) or re-queue failed deliveries by filter",
      body: d.replaySchema,
    }),
  },
  "/api/audit-log": { get: op({ tag: "Audit", summary: "Audit log", query: v.auditListQuerySchema }) },
  "/api/members": {
    get: op({ tag: "Workspace", summary: "Members and roles" }),
    post: op({
      tag: "Workspace",
      summary: "Add someone who already has a TrackLayer account (invite newcomers)",
      body: v.memberAddSchema,
      created: true,
    }),
  },
  "/api/members/{id}": {
    patch: op({ tag: "Workspace", summary: "Change a member's role", path: idPath, body: v.memberUpdateSchema }),
    delete: op({ tag: "Workspace", summary: "Remove a member", path: idPath }),
  },
  "/api/tokens": {
    get: op({ tag: "Workspace", summary: "Your personal access tokens" }),
    post: op({
      tag: "Workspace",
      summary: "Create a personal access token (returned once)",
      body: v.tokenCreateSchema,
      created: true,
    }),
  },
  "/api/tokens/{id}": { delete: op({ tag: "Workspace", summary: "Revoke a token", path: idPath }) },
  "/api/workspace": {
    get: op({ tag: "Workspace", summary: "The current workspace and your role" }),
    patch: op({ tag: "Workspace", summary: "Workspace settings", body: v.workspaceUpdateSchema }),
  },
  "/api/workspaces": {
    get: op({ tag: "Workspace", summary: "Workspaces you belong to" }),
    post: op({ tag: "Workspace", summary: "Create a workspace", body: v.workspaceCreateSchema, created: true }),
  },
  "/api/workspaces/switch": {
    post: op({
      tag: "Workspace",
      summary: "Choose the workspace the dashboard shows (a cookie)",
      body: v.workspaceSwitchSchema,
      notFound: true,
    }),
  },
};

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument() {
  cached ??= createDocument({
    openapi: "3.1.0",
    info: {
      title: "TrackLayer management API",
      version: "1.0.0",
      description:
        "Schema registry and workspace management. Authenticate with the dashboard session cookie or `Authorization: Bearer <personal access token>`.",
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
        writeKey: { type: "http", scheme: "bearer", description: "A source's write key (tl_wk_…)" },
        writeKeyBasic: {
          type: "http",
          scheme: "basic",
          description: "The write key as the username, empty password (Segment SDKs)",
        },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  });
  return cached;
}
