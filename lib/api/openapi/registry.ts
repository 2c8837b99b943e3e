// OpenAPI: the registry as code — export the bundle, plan a bundle against the workspace.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { op } from "@/lib/api/openapi/operation";
import { registryBundleSchema } from "@/lib/validations/registry-bundle";

export const registryPaths: ZodOpenApiPathsObject = {
  "/api/registry/export": {
    get: op({
      tag: "Registry as code",
      summary: "Export every canonical event (JSON Schema 2020-12) and mapping as one versioned bundle",
    }),
  },
  "/api/registry/plan": {
    post: op({
      tag: "Registry as code",
      summary: "The change set a bundle would make (added, changed, removed; breaking flagged) — nothing is written",
      body: registryBundleSchema,
    }),
  },
};
