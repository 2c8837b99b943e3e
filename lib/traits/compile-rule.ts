// Turns a rule's text into what the recompute step runs: the syntax tree with every event count
// resolved to a canonical event of the workspace (a plural shorthand like purchases_30d counts `purchase`).
import { countsIn, parseRule, RuleError, type RuleNode } from "@/lib/traits/rule-grammar";

export interface CompiledRule {
  ast: RuleNode;
  /** Distinct counts the rule reads: canonical event name and window. */
  counts: { event: string; windowMs: number }[];
}

/** The rule names something this workspace does not have (an unknown canonical event). */
export class RuleReferenceError extends RuleError {}

function resolveEvent(written: string, canonical: ReadonlySet<string>): string | undefined {
  if (canonical.has(written)) return written;
  for (const singular of [written.replace(/es$/, ""), written.replace(/s$/, "")])
    if (canonical.has(singular)) return singular;
  return undefined;
}

function resolve(node: RuleNode, canonical: ReadonlySet<string>): RuleNode {
  switch (node.kind) {
    case "count": {
      const event = resolveEvent(node.event, canonical);
      if (!event) {
        const known = [...canonical].sort().slice(0, 10).join(", ");
        throw new RuleReferenceError(
          `unknown canonical event "${node.event}" in ${node.event}_${node.window}${known ? ` (known: ${known})` : ""}`,
          node.at,
        );
      }
      return { ...node, event };
    }
    case "compare":
    case "and":
    case "or":
      return { ...node, left: resolve(node.left, canonical), right: resolve(node.right, canonical) };
    case "not":
      return { ...node, operand: resolve(node.operand, canonical) };
    default:
      return node;
  }
}

/** Parses and resolves a rule; throws RuleSyntaxError or RuleReferenceError (both with a column). */
export function compileRule(rule: string, canonicalEvents: ReadonlySet<string>): CompiledRule {
  const ast = resolve(parseRule(rule), canonicalEvents);
  const counts = [
    ...new Map(
      countsIn(ast).map((c) => [`${c.event}:${c.windowMs}`, { event: c.event, windowMs: c.windowMs }]),
    ).values(),
  ];
  return { ast, counts };
}
