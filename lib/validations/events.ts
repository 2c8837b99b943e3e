// Schemas of the event explorer, violations, unmapped events and profile lookup: shared by the
// API routes, the dashboard pages and the OpenAPI document. Query names are snake_case.
import { z } from "zod";
import { canonicalEventNameSchema } from "@/lib/validations/canonical-events";
import { idSchema, paginationShape } from "@/lib/validations/common";
import { cursorSchema } from "@/lib/validations/cursor";
import { sourceKeySchema } from "@/lib/validations/sources";

export const EVENT_STATUSES = ["accepted", "held", "unmapped", "rejected", "duplicate_conflict", "suppressed"] as const;
export const EVENT_KINDS = ["capture", "track", "page", "screen", "group", "alias"] as const;

const identifierSchema = z.string().trim().min(1, "is required").max(200);

export const eventListQuerySchema = z.object({
  status: z.enum(EVENT_STATUSES).optional(),
  kind: z.enum(EVENT_KINDS).optional(),
  source: sourceKeySchema.optional(),
  canonical_event: canonicalEventNameSchema.optional(),
  mapping: idSchema.optional(),
  /** Exact event_id, user_id, anonymous_id or resolved user; or part of the source event name. */
  q: z.string().trim().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  sort: z.enum(["received_at"]).default("received_at"),
  order: z.enum(["asc", "desc"]).default("desc"),
  /** A next_cursor / prev_cursor from an earlier page (keyset paging; `page` is the deprecated offset). */
  cursor: cursorSchema.optional(),
  ...paginationShape,
});
export type EventListQuery = z.output<typeof eventListQuerySchema>;

export const unmappedQuerySchema = z.object({
  source: sourceKeySchema.optional(),
  q: z.string().trim().max(200).optional(),
  ...paginationShape,
});
export type UnmappedQuery = z.output<typeof unmappedQuerySchema>;

export const profileLookupQuerySchema = z
  .object({
    user_id: identifierSchema.optional(),
    anonymous_id: identifierSchema.optional(),
  })
  .refine((v) => Boolean(v.user_id) !== Boolean(v.anonymous_id), {
    message: "send either user_id or anonymous_id",
    path: ["user_id"],
  });
export type ProfileLookupQuery = z.output<typeof profileLookupQuerySchema>;
