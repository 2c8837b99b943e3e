// Mappings: source event → canonical event, their review workflow, destination toggles and list filters.
import { z } from "zod";
import { canonicalEventNameSchema } from "@/lib/validations/canonical-events";
import { idSchema, paginationShape, propertyNameSchema } from "@/lib/validations/common";
import { sourceKeySchema } from "@/lib/validations/sources";

export const MAPPING_STATUSES = ["draft", "in_review", "approved", "rejected", "deprecated"] as const;
export const MAPPING_ACTIONS = ["submit", "approve", "reject", "deprecate"] as const;

export const sourceEventSchema = z.string().trim().min(1, "is required").max(200, "must be at most 200 characters");

export const renamesSchema = z
  .record(propertyNameSchema, propertyNameSchema)
  .refine((r) => Object.keys(r).length <= 100, "at most 100 renames");
/** `true` / `false`, or { enabled?, event_name? }: the platform event name for this mapping there (null clears it). */
const destinationToggleSchema = z.union([
  z.boolean(),
  z
    .strictObject({
      enabled: z.boolean().optional(),
      event_name: z
        .string()
        .trim()
        .min(1, "must not be empty (null clears the override)")
        .max(100)
        .nullable()
        .optional(),
    })
    .refine((t) => t.enabled !== undefined || t.event_name !== undefined, "send enabled and/or event_name"),
]);
const destinationTogglesSchema = z.record(idSchema, destinationToggleSchema);
export type DestinationToggle = z.output<typeof destinationToggleSchema>;

export const mappingCreateSchema = z.strictObject({
  source: sourceKeySchema,
  source_event: sourceEventSchema,
  canonical_event: canonicalEventNameSchema,
  /** Defaults to the canonical event's required properties. */
  required_properties: z.array(propertyNameSchema).max(100).optional(),
  property_renames: renamesSchema.default({}),
  note: z.string().trim().max(2000).default(""),
  destinations: destinationTogglesSchema.optional(),
});
export type MappingCreateInput = z.output<typeof mappingCreateSchema>;

export const mappingUpdateSchema = z
  .strictObject({
    canonical_event: canonicalEventNameSchema.optional(),
    required_properties: z.array(propertyNameSchema).max(100).optional(),
    property_renames: renamesSchema.optional(),
    note: z.string().trim().max(2000).optional(),
    destinations: destinationTogglesSchema.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "send at least one field to change");
export type MappingUpdateInput = z.output<typeof mappingUpdateSchema>;

export const mappingActionSchema = z.enum(MAPPING_ACTIONS);
export const mappingReviewSchema = z.strictObject({
  comment: z.string().trim().max(2000).optional(),
  /** approve: go ahead although the revision would reject more than the workspace threshold of recent events. */
  confirm_rejections: z.boolean().optional(),
});
export const mappingBulkSchema = z.strictObject({
  action: z.enum(["submit", "approve"]),
  ids: z.array(idSchema).min(1, "select at least one mapping").max(100),
});

export const MAPPING_SORTS = [
  "updated_at",
  "created_at",
  "source_event",
  "source",
  "canonical_event",
  "status",
] as const;
export const mappingListQuerySchema = z.object({
  status: z.enum(MAPPING_STATUSES).optional(),
  source: sourceKeySchema.optional(),
  canonical_event: canonicalEventNameSchema.optional(),
  destination: idSchema.optional(),
  q: z.string().trim().max(200).optional(),
  /** `me`: revisions in review that the signed-in person may approve and did not submit. */
  needs_review: z.enum(["me"]).optional(),
  sort: z.enum(MAPPING_SORTS).default("updated_at"),
  order: z.enum(["asc", "desc"]).default("desc"),
  ...paginationShape,
});
export type MappingListQuery = z.output<typeof mappingListQuerySchema>;
