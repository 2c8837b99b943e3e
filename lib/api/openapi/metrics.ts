// OpenAPI: metrics read from the rollups — the reconciliation of counts per day, canonical event and destination.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { op } from "@/lib/api/openapi/operation";
import { reconciliationQuerySchema } from "@/lib/validations/metrics";

const reconciliation = op({
  tag: "Metrics",
  summary:
    "Reconciliation (every role, workspace.read): per UTC day × canonical event × destination, received → accepted → queued → sent → acknowledged → dead, with held, unmapped, violations, duplicates, conflicts, suppressed, unmatchable, dead-letter reasons and platform rejections; `cannot_see` lists what it cannot show. format=csv answers text/csv.",
  query: reconciliationQuerySchema,
});

export const metricsPaths: ZodOpenApiPathsObject = {
  "/api/reconciliation": {
    get: {
      ...reconciliation,
      responses: {
        ...reconciliation.responses,
        "200": {
          description: "{ from, to, days: [...], totals: [...], cannot_see: [...] }, or with format=csv a CSV file",
          content: { "text/csv": { schema: { type: "string" } } },
        },
      },
    },
  },
};
