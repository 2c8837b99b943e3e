// A property's value rules in a few words for the catalog table, e.g. `one of "EUR", "USD"; length ≤ 3`.
import type { ValueSpec } from "@/lib/validations/value-rules";

export function describeRules(spec: ValueSpec): string {
  const parts: string[] = [];
  if (spec.enum) parts.push(`one of ${spec.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  if (spec.pattern !== undefined) parts.push(`matches /${spec.pattern}/`);
  if (spec.minimum !== undefined) parts.push(`≥ ${spec.minimum}`);
  if (spec.maximum !== undefined) parts.push(`≤ ${spec.maximum}`);
  if (spec.min_length !== undefined) parts.push(`length ≥ ${spec.min_length}`);
  if (spec.max_length !== undefined) parts.push(`length ≤ ${spec.max_length}`);
  if (spec.items) {
    const inner = describeRules(spec.items);
    parts.push(`items: ${spec.items.type}${inner ? ` (${inner})` : ""}`);
  }
  if (spec.properties) {
    const fields = spec.properties.map((p) => `${p.name}${p.required ? "*" : ""}: ${p.type}`);
    parts.push(`fields: ${fields.join(", ")}`);
  }
  return parts.join("; ");
}
