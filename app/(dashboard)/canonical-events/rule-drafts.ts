// The canonical event editor's value rules as text while they are typed, and back to a property
// definition (enum as a comma-separated list; numbers parsed, anything unparsable sent as is so
// the API answers with the field path).
import type { PropertyDefinition } from "@/lib/validations/value-rules";

export const DRAFT_RULES = ["enum", "pattern", "minimum", "maximum", "min_length", "max_length"] as const;
export type DraftRule = (typeof DRAFT_RULES)[number];
export type RuleDrafts = Record<DraftRule, string>;

/** The rules the editor shows for each type (items / properties are kept as saved). */
export const EDITABLE_RULES: Record<PropertyDefinition["type"], DraftRule[]> = {
  string: ["enum", "pattern", "min_length", "max_length"],
  number: ["enum", "minimum", "maximum"],
  boolean: [],
  object: [],
  array: [],
};

export function draftsOf(p: PropertyDefinition): RuleDrafts {
  return {
    enum: p.enum?.map(String).join(", ") ?? "",
    pattern: p.pattern ?? "",
    minimum: p.minimum?.toString() ?? "",
    maximum: p.maximum?.toString() ?? "",
    min_length: p.min_length?.toString() ?? "",
    max_length: p.max_length?.toString() ?? "",
  };
}

const numberOrText = (text: string) => (Number.isFinite(Number(text)) ? Number(text) : text);

function enumOf(text: string, type: PropertyDefinition["type"]) {
  const values = text
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
  if (values.length === 0) return undefined;
  return type === "number" ? values.map(numberOrText) : values;
}

/** The definition with the drafted rules that apply to its type (others dropped). */
export function withRules(definition: PropertyDefinition, drafts: RuleDrafts): PropertyDefinition {
  const out: Record<string, unknown> = { ...definition };
  for (const rule of DRAFT_RULES) delete out[rule];
  if (definition.type !== "array") delete out.items;
  if (definition.type !== "object") delete out.properties;
  for (const rule of EDITABLE_RULES[definition.type]) {
    const text = drafts[rule].trim();
    if (text === "") continue;
    out[rule] = rule === "enum" ? enumOf(text, definition.type) : rule === "pattern" ? text : numberOrText(text);
  }
  return out as PropertyDefinition;
}
