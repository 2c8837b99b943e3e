// Sources (upstream systems) and their write keys.
import { z } from "zod";

export const sourceKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, "use lowercase letters, digits, - or _ (max 40)");

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
