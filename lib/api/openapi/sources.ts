// OpenAPI: Sources and their write keys.

import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { idPath, op } from "@/lib/api/openapi/operation";
import { idSchema } from "@/lib/validations/common";
import { sourceCreateSchema, writeKeyCreateSchema } from "@/lib/validations/sources";

export const sourcesPaths: ZodOpenApiPathsObject = {
  "/api/sources": {
    get: op({ tag: "Sources", summary: "Sources and write key prefixes" }),
    post: op({ tag: "Sources", summary: "Add a source", body: sourceCreateSchema, created: true }),
  },
  "/api/sources/{id}/keys": {
    post: op({
      tag: "Sources",
      summary: "Create a write key (returned once)",
      path: idPath,
      body: writeKeyCreateSchema,
      created: true,
    }),
  },
  "/api/sources/{id}/keys/{keyId}": {
    delete: op({
      tag: "Sources",
      summary: "Revoke a write key",
      path: z.object({ id: idSchema, keyId: idSchema }),
    }),
  },
};
