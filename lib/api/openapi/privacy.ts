// The privacy part of the OpenAPI document: erasure requests (with receipts) and suppressions.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { op } from "@/lib/api/openapi/operation";
import * as p from "@/lib/validations/privacy";

const fileDeletion = op({
  tag: "Privacy",
  summary: "Erase one person by user_id, anonymous_id or e-mail (admins); 200 returns the open request for them",
  body: p.deletionCreateSchema,
});
const FILED = "Filed: the worker suppresses, removes downstream, then erases (follow its receipt)";

export const privacyPaths: ZodOpenApiPathsObject = {
  "/api/privacy/deletions": {
    get: op({ tag: "Privacy", summary: "Deletion requests with status, step and receipt (admins)" }),
    post: { ...fileDeletion, responses: { ...fileDeletion.responses, "202": { description: FILED } } },
  },
  "/api/privacy/deletions/{id}": {
    get: op({ tag: "Privacy", summary: "One deletion request and its receipt (admins)", path: p.privacyIdParams }),
  },
  "/api/privacy/suppressions": {
    get: op({ tag: "Privacy", summary: "Suppressed identifiers, as keyed-hash labels (admins)" }),
    post: op({
      tag: "Privacy",
      summary: "Suppress an identifier: later calls answer 202 suppressed, stored without personal data (admins)",
      body: p.suppressionCreateSchema,
      created: true,
    }),
  },
  "/api/privacy/suppressions/{id}": {
    delete: op({ tag: "Privacy", summary: "Lift a suppression (admins)", path: p.privacyIdParams }),
  },
};
