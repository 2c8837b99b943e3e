// The canonical event catalog: event names and their property schemas.
import { z } from "zod";
import { propertyNameSchema } from "@/lib/validations/common";

export const PROPERTY_TYPES = ["string", "number", "boolean", "object", "array"] as const;

export const canonicalEventNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, "use lower_snake_case, starting with a letter (max 64)");

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
