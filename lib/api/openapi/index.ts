// The management API's OpenAPI document, generated from the same zod schemas the routes parse; one file per resource.
import { createDocument, type ZodOpenApiPathsObject } from "zod-openapi";
import { accountPaths } from "@/lib/api/openapi/accounts";
import { alertsPaths } from "@/lib/api/openapi/alerts";
import { audiencePaths } from "@/lib/api/openapi/audiences";
import { canonicalEventsPaths } from "@/lib/api/openapi/canonical-events";
import { computedTraitsPaths } from "@/lib/api/openapi/computed-traits";
import { deliveryPaths } from "@/lib/api/openapi/delivery";
import { eventsPaths } from "@/lib/api/openapi/events";
import { ingestPaths } from "@/lib/api/openapi/ingest";
import { mappingsPaths } from "@/lib/api/openapi/mappings";
import { metricsPaths } from "@/lib/api/openapi/metrics";
import { operationsPaths } from "@/lib/api/openapi/operations";
import { privacyPaths } from "@/lib/api/openapi/privacy";
import { registryPaths } from "@/lib/api/openapi/registry";
import { registryApplyPaths } from "@/lib/api/openapi/registry-apply";
import { sourcesPaths } from "@/lib/api/openapi/sources";
import { workspacePaths } from "@/lib/api/openapi/workspace";

const paths: ZodOpenApiPathsObject = {
  ...ingestPaths,
  ...operationsPaths,
  ...audiencePaths,
  ...accountPaths,
  ...mappingsPaths,
  ...canonicalEventsPaths,
  ...registryPaths,
  ...registryApplyPaths,
  ...sourcesPaths,
  ...computedTraitsPaths,
  ...eventsPaths,
  ...deliveryPaths,
  ...metricsPaths,
  ...workspacePaths,
  ...privacyPaths,
  ...alertsPaths,
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
