// JSON with object keys sorted, so equal values serialise equally whatever their key order
// (payload hashes for dedup, revision diffs). Same output as JSON.stringify apart from key order.
import { configure } from "safe-stable-stringify";

/** Array-index keys ("0", "42") first in numeric order, as JavaScript objects keep them, then the rest by code unit. */
const isIndex = (key: string) => /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4_294_967_295;
function keyOrder(a: string, b: string): number {
  const ia = isIndex(a);
  const ib = isIndex(b);
  if (ia && ib) return Number(a) - Number(b);
  if (ia !== ib) return ia ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// The key order is the one stored payload hashes were made with: keep it.
const stringify = configure({ deterministic: keyOrder, circularValue: TypeError });

export function stableJson(value: unknown): string {
  return stringify(value) as string;
}
