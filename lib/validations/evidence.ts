// Review evidence queries: a mapping revision's, or a source event's before it is mapped (the promote form).
import { z } from "zod";
import { canonicalEventNameSchema } from "@/lib/validations/canonical-events";
import { propertyNameSchema } from "@/lib/validations/common";
import { sourceEventSchema } from "@/lib/validations/mappings";
import { sourceKeySchema } from "@/lib/validations/sources";

const splitComma = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export const mappingEvidenceQuerySchema = z.object({
  /** A revision number; the head revision when absent. */
  revision: z.coerce.number().int().min(1).optional(),
});

export const sourceEventEvidenceQuerySchema = z.object({
  source: sourceKeySchema,
  source_event: sourceEventSchema,
  canonical_event: canonicalEventNameSchema.optional(),
  /** Comma-separated; the canonical event's required properties when absent. */
  required_properties: z.string().max(4000).transform(splitComma).pipe(z.array(propertyNameSchema).max(100)).optional(),
  /** Comma-separated `source_property:canonical_property` pairs. */
  property_renames: z
    .string()
    .max(4000)
    .transform(splitComma)
    .pipe(z.array(z.string().regex(/^[^:]+:[^:]+$/, "use source_property:canonical_property")).max(100))
    .transform((pairs) =>
      Object.fromEntries(pairs.map((pair) => pair.split(":").map((s) => s.trim()) as [string, string])),
    )
    .optional(),
});
