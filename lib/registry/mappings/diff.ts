// Field-by-field difference between two revisions' content (pure; used by the API and the page).
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === "object" && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : val,
  );

export function diffContent(before: Record<string, unknown> | null, after: Record<string, unknown>): FieldChange[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const a = before?.[field];
    const b = after[field];
    if (stable(a) !== stable(b)) changes.push({ field, before: a ?? null, after: b ?? null });
  }
  return changes;
}
