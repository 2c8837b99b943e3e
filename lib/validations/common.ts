// Schemas every concern shares: ids, property names, pagination. JSON field names are snake_case on the wire.
import { z } from "zod";

export const idSchema = z.string().trim().min(1).max(64);
export const propertyNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(100)
  .regex(/^[A-Za-z_$][A-Za-z0-9_.$-]*$/, "use letters, digits, _ . - or $ (no spaces)");

const page = z.coerce.number().int().min(1).default(1);
const perPage = z.coerce.number().int().min(1).max(100).default(25);
/** `page` and `per_page` with their defaults, for every list query schema. */
export const paginationShape = { page, per_page: perPage };

/** A GET form's query without its empty fields ("All" in a select submits `name=`): absent, not invalid. */
export const withoutEmptyFields = (params: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(params).filter(([, value]) => value !== ""));
