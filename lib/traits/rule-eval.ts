// Evaluates a parsed rule against one profile's inputs. Missing values are null; comparisons
// with null are false except == / != null; numeric strings compare as numbers.
import type { CompareOp, Literal, RuleNode } from "@/lib/traits/rule-grammar";

export interface RuleInputs {
  traits: Record<string, unknown>;
  /** Event counts by countKey(event, windowMs) (event = the resolved canonical event name). */
  counts: Map<string, number>;
  matchQuality: number;
}

export const countKey = (event: string, windowMs: number) => `${event}:${windowMs}`;

function traitAt(traits: Record<string, unknown>, path: string[]): Literal {
  let value: unknown = traits;
  for (const key of path)
    value =
      value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
  if (value === undefined) return null;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return value as Literal;
}

function asNumber(v: Literal): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function equal(a: Literal, b: Literal): boolean {
  if (a === null || b === null) return a === b;
  const [x, y] = [asNumber(a), asNumber(b)];
  if ((typeof a === "number" || typeof b === "number") && x !== undefined && y !== undefined) return x === y;
  return a === b;
}

function compare(op: CompareOp, a: Literal, b: Literal): boolean {
  if (op === "==") return equal(a, b);
  if (op === "!=") return !equal(a, b);
  if (a === null || b === null) return false;
  const [x, y] = [asNumber(a), asNumber(b)];
  const order =
    x !== undefined && y !== undefined
      ? Math.sign(x - y)
      : typeof a === "string" && typeof b === "string"
        ? a < b
          ? -1
          : a > b
            ? 1
            : 0
        : undefined;
  if (order === undefined) return false;
  return op === ">" ? order > 0 : op === ">=" ? order >= 0 : op === "<" ? order < 0 : order <= 0;
}

const truthy = (v: Literal) => v !== null && v !== false && v !== 0 && v !== "";

/** The rule's value for one profile: a boolean for comparisons and logic, else the operand's value. */
export function evaluateRule(node: RuleNode, inputs: RuleInputs): Literal {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "trait":
      return traitAt(inputs.traits, node.path);
    case "match_quality":
      return inputs.matchQuality;
    case "count":
      return inputs.counts.get(countKey(node.event, node.windowMs)) ?? 0;
    case "compare":
      return compare(node.op, evaluateRule(node.left, inputs), evaluateRule(node.right, inputs));
    case "and":
      return truthy(evaluateRule(node.left, inputs)) && truthy(evaluateRule(node.right, inputs));
    case "or":
      return truthy(evaluateRule(node.left, inputs)) || truthy(evaluateRule(node.right, inputs));
    case "not":
      return !truthy(evaluateRule(node.operand, inputs));
  }
}
