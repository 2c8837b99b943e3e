// OpenAPI: The canonical event catalog.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { idPath, op } from "@/lib/api/openapi/operation";
import { canonicalEventCreateSchema, canonicalEventUpdateSchema } from "@/lib/validations/canonical-events";

export const canonicalEventsPaths: ZodOpenApiPathsObject = {
  "/api/canonical-events": {
    get: op({ tag: "Canonical events", summary: "The canonical event catalog" }),
    post: op({
      tag: "Canonical events",
      summary: "Add a canonical event",
      body: canonicalEventCreateSchema,
      created: true,
    }),
  },
  "/api/canonical-events/{id}": {
    patch: op({
      tag: "Canonical events",
      summary: "Edit a canonical event",
      path: idPath,
      body: canonicalEventUpdateSchema,
    }),
  },
};
