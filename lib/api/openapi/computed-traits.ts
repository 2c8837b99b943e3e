// OpenAPI: Computed traits.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { idPath, op } from "@/lib/api/openapi/operation";
import * as ct from "@/lib/validations/computed-traits";

export const computedTraitsPaths: ZodOpenApiPathsObject = {
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
};
