// OpenAPI: apply a registry bundle as drafts submitted for review (never approved).
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { op } from "@/lib/api/openapi/operation";
import { registryApplySchema } from "@/lib/validations/registry-apply";

export const registryApplyPaths: ZodOpenApiPathsObject = {
  "/api/registry/apply": {
    post: op({
      tag: "Registry as code",
      summary:
        "Draft a bundle's changes (canonical events, mapping revisions) and submit them for review with a reference; never approves",
      body: registryApplySchema,
    }),
  },
};
