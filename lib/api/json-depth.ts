// How deeply a parsed JSON value nests, measured without recursion, so a management body nested
// thousands of levels deep is a 400 before any recursive schema (value rules, bundles) walks it
// and overflows the stack.
import { AppError } from "@/lib/errors";

/** Deeper than any management body needs (rule trees, nested value rules, bundles). */
export const MAX_JSON_DEPTH = 64;

/** True when `value` has containers nested more than `max` levels deep. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

export function assertJsonDepth(value: unknown, max = MAX_JSON_DEPTH): void {
  if (nestsDeeperThan(value, max)) {
    throw new AppError("invalid_request", `JSON nested more than ${max} levels deep`, [
      { path: "", message: `nests more than ${max} levels deep`, code: "too_deep" },
    ]);
  }
}
