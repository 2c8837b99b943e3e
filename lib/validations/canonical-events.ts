// The canonical event catalog: event names and their property schemas.
import { z } from "zod";
import { checkUniqueNames, propertyDefinitionSchema } from "@/lib/validations/value-rules";

export {
  PROPERTY_TYPES,
  type PropertyDefinition,
  propertyDefinitionSchema,
  type ValueSpec,
} from "@/lib/validations/value-rules";

export const canonicalEventNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, "use lower_snake_case, starting with a letter (max 64)");

const propertyListSchema = z.array(propertyDefinitionSchema).max(100).superRefine(checkUniqueNames);

export const canonicalEventCreateSchema = z.strictObject({
  name: canonicalEventNameSchema,
  description: z.string().trim().max(1000).default(""),
  properties: propertyListSchema.default([]),
});
export const canonicalEventUpdateSchema = z.strictObject({
  description: z.string().trim().max(1000).optional(),
  properties: propertyListSchema.optional(),
});
