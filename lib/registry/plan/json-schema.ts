// Pure: a canonical event's property definitions as a JSON Schema (draft 2020-12) document and
// back. Value rules become the matching keywords (enum, pattern, minimum, maximum, minLength,
// maxLength, items, properties + required). Keys come out sorted and `required` lists sorted,
// so the same catalog always serialises the same way.
import type { PropertyDefinition, ValueSpec } from "@/lib/validations/value-rules";

export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

export type JsonSchema = {
  type: ValueSpec["type"];
  description?: string;
  enum?: (string | number | boolean)[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  /** TrackLayer's annotation (JSON Schema allows unknown keywords as annotations): personal data. */
  "x-personal"?: boolean;
};

export type CanonicalEventDocument = JsonSchema & {
  $schema: typeof JSON_SCHEMA_DIALECT;
  title: string;
  type: "object";
  properties: Record<string, JsonSchema>;
  required: string[];
};

/** Rule name in a property definition ↔ JSON Schema keyword (the scalar ones). */
const KEYWORDS = [
  ["enum", "enum"],
  ["pattern", "pattern"],
  ["minimum", "minimum"],
  ["maximum", "maximum"],
  ["min_length", "minLength"],
  ["max_length", "maxLength"],
] as const;

/** Code-unit order, the same on every machine and locale. */
export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A copy of a plain object with its keys sorted (arrays keep their order). */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => byText(a, b));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)])) as T;
}

function objectShape(definitions: PropertyDefinition[]) {
  return {
    properties: Object.fromEntries(
      definitions.map((d) => [
        d.name,
        { ...specToSchema(d, d.description), ...(d.personal ? { "x-personal": true } : {}) },
      ]),
    ),
    required: definitions
      .filter((d) => d.required)
      .map((d) => d.name)
      .sort(),
  };
}

function specToSchema(spec: ValueSpec, description = ""): JsonSchema {
  const schema: JsonSchema = { type: spec.type };
  if (description) schema.description = description;
  for (const [rule, keyword] of KEYWORDS) {
    if (spec[rule] !== undefined) (schema as Record<string, unknown>)[keyword] = spec[rule];
  }
  if (spec.items) schema.items = specToSchema(spec.items);
  if (spec.properties) Object.assign(schema, objectShape(spec.properties));
  return schema;
}

export function toJsonSchema(event: {
  name: string;
  description: string;
  properties: PropertyDefinition[];
}): CanonicalEventDocument {
  return sortKeys({
    $schema: JSON_SCHEMA_DIALECT,
    title: event.name,
    ...(event.description ? { description: event.description } : {}),
    type: "object" as const,
    ...objectShape(event.properties),
  });
}

function schemaToSpec(schema: JsonSchema): ValueSpec {
  const spec: ValueSpec = { type: schema.type };
  for (const [rule, keyword] of KEYWORDS) {
    if (schema[keyword] !== undefined) (spec as Record<string, unknown>)[rule] = schema[keyword];
  }
  if (schema.items) spec.items = schemaToSpec(schema.items);
  if (schema.properties) spec.properties = definitionsOf(schema.properties, schema.required ?? []);
  return spec;
}

function definitionsOf(properties: Record<string, JsonSchema>, required: string[]): PropertyDefinition[] {
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    required: required.includes(name),
    description: schema.description ?? "",
    ...(schema["x-personal"] ? { personal: true } : {}),
    ...schemaToSpec(schema),
  }));
}

/** The property definitions a canonical event document describes (in its key order). */
export function fromJsonSchema(document: CanonicalEventDocument) {
  return {
    name: document.title,
    description: document.description ?? "",
    properties: definitionsOf(document.properties, document.required),
  };
}
