// Field-by-field difference between two revisions' content (pure; used by the API and the page).
import { stableJson } from "@/lib/stable-json";
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export function diffContent(before: Record<string, unknown> | null, after: Record<string, unknown>): FieldChange[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const a = before?.[field];
    const b = after[field];
    if (stableJson(a) !== stableJson(b)) changes.push({ field, before: a ?? null, after: b ?? null });
  }
  return changes;
}
