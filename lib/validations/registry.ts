// Schemas of the schema registry, shared by the API routes, the dashboard forms and the
// OpenAPI document. JSON field names are snake_case on the wire.
import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

export const PROPERTY_TYPES = ["string", "number", "boolean", "object", "array"] as const;
export const MAPPING_STATUSES = ["draft", "in_review", "approved", "rejected", "deprecated"] as const;
export const MAPPING_ACTIONS = ["submit", "approve", "reject", "deprecate"] as const;

export const idSchema = z.string().trim().min(1).max(64);
export const propertyNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(100)
  .regex(/^[A-Za-z_$][A-Za-z0-9_.$-]*$/, "use letters, digits, _ . - or $ (no spaces)");
export const canonicalEventNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, "use lower_snake_case, starting with a letter (max 64)");
export const sourceKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, "use lowercase letters, digits, - or _ (max 40)");
export const sourceEventSchema = z.string().trim().min(1, "is required").max(200, "must be at most 200 characters");

export const propertyDefinitionSchema = z.strictObject({
  name: propertyNameSchema,
  type: z.enum(PROPERTY_TYPES),
  required: z.boolean().default(false),
  description: z.string().trim().max(500).default(""),
});
export type PropertyDefinition = z.output<typeof propertyDefinitionSchema>;

const propertyListSchema = z
  .array(propertyDefinitionSchema)
  .max(100)
  .superRefine((props, ctx) => {
    const seen = new Set<string>();
    props.forEach((p, i) => {
      if (seen.has(p.name))
        ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate property "${p.name}"` });
      seen.add(p.name);
    });
  });

export const canonicalEventCreateSchema = z.strictObject({
  name: canonicalEventNameSchema,
  description: z.string().trim().max(1000).default(""),
  properties: propertyListSchema.default([]),
});
export const canonicalEventUpdateSchema = z.strictObject({
  description: z.string().trim().max(1000).optional(),
  properties: propertyListSchema.optional(),
});

export const sourceCreateSchema = z.strictObject({
  key: sourceKeySchema,
  name: z.string().trim().min(1, "is required").max(100),
  description: z.string().trim().max(1000).default(""),
});

export const writeKeyCreateSchema = z.strictObject({
  name: z.string().trim().min(1, "is required").max(100),
  allowed_sources: z.array(sourceKeySchema).max(50).default([]),
  /** A test key: validates mappings end to end (revision under review, test-mode destinations only). */
  test: z.boolean().default(false),
});

const renamesSchema = z
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
export const mappingReviewSchema = z.strictObject({ comment: z.string().trim().max(2000).optional() });
export const mappingBulkSchema = z.strictObject({
  action: z.enum(["submit", "approve"]),
  ids: z.array(idSchema).min(1, "select at least one mapping").max(100),
});

const page = z.coerce.number().int().min(1).default(1);
const perPage = z.coerce.number().int().min(1).max(100).default(25);
/** `page` and `per_page` with their defaults, for every list query schema. */
export const paginationShape = { page, per_page: perPage };

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
  sort: z.enum(MAPPING_SORTS).default("updated_at"),
  order: z.enum(["asc", "desc"]).default("desc"),
  page,
  per_page: perPage,
});
export type MappingListQuery = z.output<typeof mappingListQuerySchema>;

export const auditListQuerySchema = z.object({
  action: z.string().trim().max(100).optional(),
  entity_type: z.string().trim().max(50).optional(),
  entity_id: idSchema.optional(),
  actor: z.string().trim().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  page,
  per_page: perPage,
});
export type AuditListQuery = z.output<typeof auditListQuerySchema>;

export const roleSchema = z.enum(ROLES);
export const memberAddSchema = z.strictObject({
  email: z.email().transform((e) => e.toLowerCase()),
  role: roleSchema,
  name: z.string().trim().max(100).optional(),
});
export const memberUpdateSchema = z.strictObject({ role: roleSchema });

export const tokenCreateSchema = z.strictObject({
  name: z.string().trim().min(1, "is required").max(100),
  expires_in_days: z.number().int().min(1).max(366).optional(),
});

export const workspaceCreateSchema = z.strictObject({
  name: z.string().trim().min(1, "is required").max(100),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, "use 2–40 lowercase letters, digits or -"),
});
export const workspaceUpdateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    require_four_eyes: z.boolean().optional(),
    require_validation: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "send at least one field to change");
export const workspaceSwitchSchema = z.strictObject({ workspace: z.string().trim().min(1).max(64) });
