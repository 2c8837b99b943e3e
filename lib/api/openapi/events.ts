// OpenAPI: Stored events, their trace, the live inspector stream and profiles.

import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { idPath, op } from "@/lib/api/openapi/operation";
import * as ev from "@/lib/validations/events";
import * as insp from "@/lib/validations/inspector";

export const eventsPaths: ZodOpenApiPathsObject = {
  "/api/events": {
    get: op({
      tag: "Events",
      summary:
        "Stored events, filtered, keyset paged: { rows, next_cursor, prev_cursor, per_page, total_estimate } — pass a " +
        "cursor back as `cursor` for the next / previous page; total_estimate comes from the rollups (seconds behind, " +
        "null for a search). `q` matches row id, event_id, user or anonymous id exactly, or part of a source event name",
      query: ev.eventListQuerySchema,
    }),
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
