// Value rules on a canonical event property (or an array's items, or a nested object's
// properties): enum, pattern, minimum/maximum, min_length/max_length, items, properties. Each
// rule must fit the type it is declared on; a pattern must compile and be safe from
// catastrophic backtracking (checked with safe-regex2, plus a length cap).
import safeRegex from "safe-regex2";
import { z } from "zod";
import { propertyNameSchema } from "@/lib/validations/common";

export const PROPERTY_TYPES = ["string", "number", "boolean", "object", "array"] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export const MAX_PATTERN_LENGTH = 200;
/** How deep items / properties may nest (a property is depth 1). */
export const MAX_RULE_DEPTH = 5;

export type ValueRules = {
  enum?: (string | number | boolean)[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  min_length?: number;
  max_length?: number;
  items?: ValueSpec;
  properties?: PropertyDefinition[];
};
export type ValueSpec = ValueRules & { type: PropertyType };
export type PropertyDefinition = ValueSpec & {
  name: string;
  required: boolean;
  description: string;
  /** Personal data (lib/privacy/personal-properties.ts): masked for viewers and in delivery logs below admin. */
  personal?: boolean;
};

/**
 * Whether a group with alternatives is repeated — `(a|aa)*`, `(x|y){2,}` — which safe-regex2's
 * star-height check does not catch and can backtrack exponentially (a character class does not).
 */
export function hasRepeatedAlternation(pattern: string): boolean {
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") groups.push(false);
    else if (c === "|" && groups.length) groups[groups.length - 1] = true;
    else if (c === ")" && groups.pop() && /[*+{]/.test(pattern[i + 1] ?? "")) return true;
  }
  return false;
}

/** A pattern usable with `new RegExp(p, "u")` that cannot backtrack exponentially. */
export const patternSchema = z
  .string()
  .min(1, "is required")
  .max(MAX_PATTERN_LENGTH)
  .superRefine((pattern, ctx) => {
    try {
      new RegExp(pattern, "u");
    } catch {
      ctx.addIssue({ code: "custom", message: "is not a valid regular expression" });
      return;
    }
    if (!safeRegex(pattern) || hasRepeatedAlternation(pattern)) {
      ctx.addIssue({
        code: "custom",
        message: "may backtrack catastrophically (nested quantifiers or a repeated group with alternatives)",
      });
    }
  });

const enumValue = z.union([z.string().max(200), z.number(), z.boolean()]);
const length = z.int().min(0).max(1_000_000);

const ruleShape = {
  enum: z.array(enumValue).min(1, "needs at least one value").max(100).optional(),
  pattern: patternSchema.optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  min_length: length.optional(),
  max_length: length.optional(),
};

/** Which rules each type allows. */
const ALLOWED: Record<PropertyType, (keyof ValueRules)[]> = {
  string: ["enum", "pattern", "min_length", "max_length"],
  number: ["enum", "minimum", "maximum"],
  boolean: ["enum"],
  object: ["properties"],
  array: ["items"],
};
const RULE_KEYS = ["enum", "pattern", "minimum", "maximum", "min_length", "max_length", "items", "properties"] as const;

function checkRules(spec: ValueSpec, ctx: z.RefinementCtx) {
  for (const key of RULE_KEYS) {
    if (spec[key] !== undefined && !ALLOWED[spec.type].includes(key)) {
      ctx.addIssue({ code: "custom", path: [key], message: `does not apply to a ${spec.type}` });
    }
  }
  spec.enum?.forEach((v, i) => {
    if (typeof v !== spec.type && ALLOWED[spec.type].includes("enum")) {
      ctx.addIssue({ code: "custom", path: ["enum", i], message: `must be a ${spec.type}` });
    }
  });
  if (spec.enum && new Set(spec.enum).size !== spec.enum.length) {
    ctx.addIssue({ code: "custom", path: ["enum"], message: "has duplicate values" });
  }
  if (spec.minimum !== undefined && spec.maximum !== undefined && spec.minimum > spec.maximum) {
    ctx.addIssue({ code: "custom", path: ["maximum"], message: "must be at least minimum" });
  }
  if (spec.min_length !== undefined && spec.max_length !== undefined && spec.min_length > spec.max_length) {
    ctx.addIssue({ code: "custom", path: ["max_length"], message: "must be at least min_length" });
  }
}

/** Depth of a spec: 1 plus the deepest of its items / nested properties. */
export function specDepth(spec: ValueSpec): number {
  const nested = [...(spec.items ? [spec.items] : []), ...(spec.properties ?? [])];
  return 1 + Math.max(0, ...nested.map(specDepth));
}

function checkDepth(spec: ValueSpec, ctx: z.RefinementCtx) {
  if (specDepth(spec) > MAX_RULE_DEPTH) {
    ctx.addIssue({ code: "custom", message: `nests items / properties more than ${MAX_RULE_DEPTH} levels deep` });
  }
}

/** Names must be unique within one list of property definitions. */
export function checkUniqueNames(props: { name: string }[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  props.forEach((p, i) => {
    if (seen.has(p.name))
      ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate property "${p.name}"` });
    seen.add(p.name);
  });
}

export const valueSpecSchema: z.ZodType<ValueSpec, unknown> = z.lazy(() =>
  z
    .strictObject({
      type: z.enum(PROPERTY_TYPES),
      ...ruleShape,
      items: valueSpecSchema.optional(),
      properties: nestedPropertiesSchema.optional(),
    })
    .superRefine(checkRules)
    .meta({ id: "ValueSpec" }),
);

export const propertyDefinitionSchema: z.ZodType<PropertyDefinition, unknown> = z.lazy(() =>
  z
    .strictObject({
      name: propertyNameSchema,
      type: z.enum(PROPERTY_TYPES),
      required: z.boolean().default(false),
      description: z.string().trim().max(500).default(""),
      personal: z.boolean().optional(),
      ...ruleShape,
      items: valueSpecSchema.optional(),
      properties: nestedPropertiesSchema.optional(),
    })
    .superRefine(checkRules)
    .superRefine(checkDepth)
    .meta({ id: "PropertyDefinition" }),
);

const nestedPropertiesSchema: z.ZodType<PropertyDefinition[], unknown> = z
  .array(propertyDefinitionSchema)
  .max(100)
  .superRefine(checkUniqueNames);
