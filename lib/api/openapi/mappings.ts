// OpenAPI: mappings: the registry's source event → canonical event rules, their review workflow, validation and backfill.

import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { idPath, op } from "@/lib/api/openapi/operation";
import { idSchema } from "@/lib/validations/common";
import * as d from "@/lib/validations/delivery";
import { mappingEvidenceQuerySchema, sourceEventEvidenceQuerySchema } from "@/lib/validations/evidence";
import * as insp from "@/lib/validations/inspector";
import {
  MAPPING_ACTIONS,
  mappingActionSchema,
  mappingBulkSchema,
  mappingCreateSchema,
  mappingListQuerySchema,
  mappingReviewSchema,
  mappingUpdateSchema,
} from "@/lib/validations/mappings";

export const mappingsPaths: ZodOpenApiPathsObject = {
  "/api/mappings": {
    get: op({ tag: "Mappings", summary: "List mappings", query: mappingListQuerySchema }),
    post: op({ tag: "Mappings", summary: "Propose a mapping (draft)", body: mappingCreateSchema, created: true }),
  },
  "/api/mappings/bulk": {
    post: op({ tag: "Mappings", summary: "Submit or approve many mappings", body: mappingBulkSchema }),
  },
  "/api/mappings/{id}": {
    get: op({ tag: "Mappings", summary: "A mapping with its revisions and diffs", path: idPath }),
    patch: op({
      tag: "Mappings",
      summary: "Edit a mapping or toggle its destinations",
      path: idPath,
      body: mappingUpdateSchema,
    }),
  },
  ...Object.fromEntries(
    MAPPING_ACTIONS.map((action) => [
      `/api/mappings/{id}/${action}`,
      {
        post: op({
          tag: "Mappings",
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a mapping`,
          path: idPath,
          body: mappingReviewSchema,
        }),
      },
    ]),
  ),
  "/api/mappings/{id}/{action}": {
    post: op({
      tag: "Mappings",
      summary:
        "Submit, approve, reject or deprecate a mapping (each action has its own permission). Approving a revision whose dry run rejects more than the workspace threshold of recent events answers 409 confirmation_required (issues name each cause) unless confirm_rejections is true",
      path: z.object({ id: idSchema, action: mappingActionSchema }),
      body: mappingReviewSchema,
    }),
  },
  "/api/mappings/{id}/evidence": {
    get: op({
      tag: "Mappings",
      summary:
        "Review evidence: the properties seen on the source event's newest 1,000 events of the last 7 days (presence %, types, examples) and a dry run of the revision (accept / reject %, each cause's %)",
      path: idPath,
      query: mappingEvidenceQuerySchema,
    }),
  },
  "/api/source-events/evidence": {
    get: op({
      tag: "Mappings",
      summary:
        "Evidence before proposing a mapping: a source event's observed properties, and a dry run against a canonical event when one is named",
      query: sourceEventEvidenceQuerySchema,
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
  "/api/mappings/{id}/backfill": {
    post: op({
      tag: "Delivery",
      summary: "Backfill a destination toggled on later (dry_run counts first)",
      path: idPath,
      body: d.backfillSchema,
    }),
  },
};
