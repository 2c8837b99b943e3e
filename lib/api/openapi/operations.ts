// OpenAPI: operations endpoints.
import type { ZodOpenApiPathsObject } from "zod-openapi";

/** Liveness for load balancers and the benchmark's reference; no authentication. */
export const operationsPaths: ZodOpenApiPathsObject = {
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
