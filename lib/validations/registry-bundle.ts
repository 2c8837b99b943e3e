// The registry bundle (GET /api/registry/export, POST /api/registry/plan): every canonical event as
// a JSON Schema 2020-12 document (only the keywords TrackLayer's value rules use) and every
// mapping with its destinations by name. Strict: an unknown keyword or field is a 400 with its path.
import { z } from "zod";
import { JSON_SCHEMA_DIALECT, type JsonSchema } from "@/lib/registry/plan/json-schema";
import { canonicalEventNameSchema } from "@/lib/validations/canonical-events";
import { propertyNameSchema } from "@/lib/validations/common";
import { renamesSchema, sourceEventSchema } from "@/lib/validations/mappings";
import { sourceKeySchema } from "@/lib/validations/sources";
import { PROPERTY_TYPES } from "@/lib/validations/value-rules";

export const BUNDLE_VERSION = 1;

const requiredSchema = z.array(propertyNameSchema).max(100);

/** One property's JSON Schema; value rules are checked against the type after conversion. */
export const propertySchemaSchema: z.ZodType<JsonSchema, unknown> = z.lazy(() =>
  z
    .strictObject({
      type: z.enum(PROPERTY_TYPES),
      description: z.string().max(500).optional(),
      enum: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
      pattern: z.string().optional(),
      minimum: z.number().optional(),
      maximum: z.number().optional(),
      minLength: z.int().min(0).optional(),
      maxLength: z.int().min(0).optional(),
      items: propertySchemaSchema.optional(),
      properties: z.record(propertyNameSchema, propertySchemaSchema).optional(),
      required: requiredSchema.optional(),
      "x-personal": z.boolean().optional(),
    })
    .meta({ id: "BundlePropertySchema" }),
);

export const canonicalEventDocumentSchema = z.strictObject({
  $schema: z.literal(JSON_SCHEMA_DIALECT),
  title: canonicalEventNameSchema,
  description: z.string().max(1000).optional(),
  type: z.literal("object"),
  properties: z.record(propertyNameSchema, propertySchemaSchema).default({}),
  required: requiredSchema.default([]),
});

const bundleDestinationSchema = z.strictObject({
  name: z.string().trim().min(1, "is required").max(100),
  enabled: z.boolean().default(true),
  event_name: z.string().trim().min(1).max(100).optional(),
});

export const bundleMappingSchema = z.strictObject({
  source: sourceKeySchema,
  source_event: sourceEventSchema,
  canonical_event: canonicalEventNameSchema,
  required_properties: requiredSchema.default([]),
  property_renames: renamesSchema.default({}),
  destinations: z.array(bundleDestinationSchema).max(50).default([]),
});
export type BundleMapping = z.output<typeof bundleMappingSchema>;

/** Adds an issue at path(i) for each item whose key an earlier item already had. */
function flagDuplicates<T>(
  ctx: z.RefinementCtx,
  items: T[],
  keyOf: (item: T) => string,
  what: string,
  path: (i: number) => PropertyKey[],
) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (seen.has(key)) ctx.addIssue({ code: "custom", path: path(i), message: `duplicate ${what} ${key}` });
    seen.add(key);
  });
}

export const registryBundleSchema = z
  .strictObject({
    version: z.literal(BUNDLE_VERSION),
    canonical_events: z.array(canonicalEventDocumentSchema).max(1000).default([]),
    mappings: z.array(bundleMappingSchema).max(5000).default([]),
  })
  .superRefine((bundle, ctx) => {
    flagDuplicates(
      ctx,
      bundle.canonical_events,
      (e) => e.title,
      "canonical event",
      (i) => ["canonical_events", i, "title"],
    );
    const mappingKey = (m: BundleMapping) => `${m.source}/${m.source_event}`;
    flagDuplicates(ctx, bundle.mappings, mappingKey, "mapping", (i) => ["mappings", i, "source_event"]);
    for (const [i, m] of bundle.mappings.entries()) {
      const at = (j: number) => ["mappings", i, "destinations", j, "name"];
      flagDuplicates(ctx, m.destinations, (d) => d.name, "destination", at);
    }
  });
export type RegistryBundle = z.output<typeof registryBundleSchema>;
