// OpenAPI: Stored events, their trace, the live inspector stream and profiles.

import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { idPath, op } from "@/lib/api/openapi/operation";
import * as ev from "@/lib/validations/events";
import * as insp from "@/lib/validations/inspector";

export const eventsPaths: ZodOpenApiPathsObject = {
  "/api/events": {
    get: op({ tag: "Events", summary: "Stored events, filtered and paged", query: ev.eventListQuerySchema }),
  },
  "/api/events/{id}": {
    get: op({ tag: "Events", summary: "One stored event with payload, problems and deliveries", path: idPath }),
  },
  "/api/events/{id}/trace": {
    get: op({
      tag: "Inspector",
      summary:
        "One event end to end: stages, destination lanes with attempts, and the four checks (id = event_id or row id)",
      path: z.object({ id: z.string().min(1).max(200) }),
    }),
  },
  "/api/inspector/stream": {
    get: op({
      tag: "Inspector",
      summary: "Server-sent events: recent matching events, then each new one (event: rows)",
      query: insp.inspectorFilterSchema,
    }),
  },
  "/api/profiles": {
    get: op({
      tag: "Events",
      summary: "Look up a profile by user_id or anonymous_id",
      query: ev.profileLookupQuerySchema,
      notFound: true,
    }),
  },
};
