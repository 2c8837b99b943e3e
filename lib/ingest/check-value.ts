// Pure: one value against its declared type and value rules (recursing into array items and
// nested object properties). Each problem names the rule, the rule's setting and the offending
// value (strings cut to a preview), so a violation sample says exactly what failed.
import type { FieldIssue } from "@/lib/errors";
import type { PropertyDefinition, PropertyType, ValueSpec } from "@/lib/validations/value-rules";

export type RuleName = "type" | "enum" | "pattern" | "minimum" | "maximum" | "min_length" | "max_length";

export interface ValueProblem extends FieldIssue {
  /** The rule that failed and its setting, e.g. { enum: ["a", "b"] }. */
  rule?: Partial<Record<RuleName | "required", unknown>>;
  /** The offending value (a string cut to PREVIEW_CHARS). */
  value?: unknown;
}

const PREVIEW_CHARS = 100;
/** Problems reported per array, so one bad list cannot flood a sample. */
const MAX_ITEM_PROBLEMS = 10;

export function typeOf(value: unknown): PropertyType | "null" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const t = typeof value;
  if (t === "number") return Number.isFinite(value) ? "number" : "null";
  return t === "string" || t === "boolean" || t === "object" ? t : "null";
}

/** Compiled patterns, reused across events (bounded: cleared when full). */
const compiled = new Map<string, RegExp>();
function regexOf(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    if (compiled.size >= 1000) compiled.clear();
    re = new RegExp(pattern, "u");
    compiled.set(pattern, re);
  }
  return re;
}

const cut = (value: unknown) =>
  typeof value === "string" && value.length > PREVIEW_CHARS ? `${value.slice(0, PREVIEW_CHARS)}…` : value;
const show = (value: unknown) => JSON.stringify(cut(value));

function problem(path: string, rule: RuleName, setting: unknown, value: unknown, message: string): ValueProblem {
  return { path, code: rule, message: `${message} (${rule})`, rule: { [rule]: setting }, value: cut(value) };
}

/** The rule problems of a value already known to have `spec.type`. */
function ruleProblems(path: string, value: unknown, spec: ValueSpec): ValueProblem[] {
  const out: ValueProblem[] = [];
  if (spec.enum && !spec.enum.includes(value as string | number | boolean)) {
    const allowed = spec.enum.map((v) => JSON.stringify(v)).join(", ");
    out.push(problem(path, "enum", spec.enum, value, `${show(value)} is not one of ${allowed}`));
  }
  if (typeof value === "string") {
    if (spec.pattern !== undefined && !regexOf(spec.pattern).test(value)) {
      out.push(problem(path, "pattern", spec.pattern, value, `${show(value)} does not match /${spec.pattern}/`));
    }
    const length = [...value].length;
    if (spec.min_length !== undefined && length < spec.min_length) {
      const message = `${show(value)} is shorter than ${spec.min_length} characters`;
      out.push(problem(path, "min_length", spec.min_length, value, message));
    }
    if (spec.max_length !== undefined && length > spec.max_length) {
      const message = `${show(value)} is longer than ${spec.max_length} characters`;
      out.push(problem(path, "max_length", spec.max_length, value, message));
    }
  }
  if (typeof value === "number") {
    if (spec.minimum !== undefined && value < spec.minimum) {
      out.push(problem(path, "minimum", spec.minimum, value, `${value} is less than ${spec.minimum}`));
    }
    if (spec.maximum !== undefined && value > spec.maximum) {
      out.push(problem(path, "maximum", spec.maximum, value, `${value} is greater than ${spec.maximum}`));
    }
  }
  if (Array.isArray(value) && spec.items) {
    const items = value.flatMap((item, i) => checkValue(`${path}.${i}`, item, spec.items!));
    out.push(...items.slice(0, MAX_ITEM_PROBLEMS));
  }
  if (spec.properties && typeOf(value) === "object") {
    out.push(...checkObject(path, value as Record<string, unknown>, spec.properties));
  }
  return out;
}

/** A present (non-null) value against its spec: a wrong type, else each failed rule. */
export function checkValue(path: string, value: unknown, spec: ValueSpec): ValueProblem[] {
  const actual = typeOf(value);
  if (actual !== spec.type) {
    return [
      {
        path,
        message: `must be a ${spec.type} (got ${actual})`,
        code: "wrong_type",
        rule: { type: spec.type },
        value: cut(value),
      },
    ];
  }
  return ruleProblems(path, value, spec);
}

/** A nested object against its property definitions: required ones present, each present one valid. */
export function checkObject(
  path: string,
  object: Record<string, unknown>,
  definitions: PropertyDefinition[],
): ValueProblem[] {
  const out: ValueProblem[] = [];
  for (const def of definitions) {
    const value = object[def.name];
    const at = `${path}.${def.name}`;
    if (value === undefined || value === null) {
      if (def.required) out.push({ path: at, message: "is required", code: "missing", rule: { required: true } });
      continue;
    }
    out.push(...checkValue(at, value, def));
  }
  return out;
}
