// Schemas of the live inspector: stream filters and validation runs; shared by routes, pages and OpenAPI.
import { z } from "zod";
import { canonicalEventNameSchema } from "@/lib/validations/canonical-events";
import { EVENT_STATUSES } from "@/lib/validations/events";
import { sourceKeySchema } from "@/lib/validations/sources";

export const inspectorFilterSchema = z.object({
  source: sourceKeySchema.optional(),
  canonical_event: canonicalEventNameSchema.optional(),
  status: z.enum(EVENT_STATUSES).optional(),
  /** Exact user_id, anonymous_id, event_id, order_id or lead_id. */
  q: z.string().trim().min(1).max(200).optional(),
});
export type InspectorFilter = z.output<typeof inspectorFilterSchema>;

export const validationCreateSchema = z.strictObject({
  /** The event sent for this validation (its event_id); its trace's four checks decide the outcome. */
  event_id: z.string().trim().min(1, "is required").max(200),
});
