// Pure: field-by-field difference between two canonical event documents (JSON Schema), each
// change flagged breaking when events valid before could now be rejected: a property removed or
// retyped, a property made required (or added as required), a value rule added or tightened.

import type { JsonSchema } from "@/lib/registry/plan/json-schema";
import { stableJson } from "@/lib/stable-json";

export interface FieldDiff {
  /** Dotted path in the document, e.g. properties.currency.enum */
  field: string;
  before: unknown;
  after: unknown;
  breaking: boolean;
}

type Keyword = "enum" | "pattern" | "minimum" | "maximum" | "minLength" | "maxLength";
const RULE_KEYWORDS: Keyword[] = ["enum", "pattern", "minimum", "maximum", "minLength", "maxLength"];

/** Whether changing a rule from `before` to `after` can reject a value it accepted. */
function tightens(keyword: Keyword, before: unknown, after: unknown): boolean {
  if (after === undefined) return false;
  if (before === undefined) return true;
  switch (keyword) {
    case "enum":
      return (before as unknown[]).some((v) => !(after as unknown[]).includes(v));
    case "pattern":
      return before !== after;
    case "minimum":
    case "minLength":
      return (after as number) > (before as number);
    case "maximum":
    case "maxLength":
      return (after as number) < (before as number);
  }
}

const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);

function diffProperties(
  path: string,
  before: Pick<JsonSchema, "properties" | "required">,
  after: Pick<JsonSchema, "properties" | "required">,
  out: FieldDiff[],
) {
  const was = before.properties ?? {};
  const now = after.properties ?? {};
  const wasRequired = new Set(before.required ?? []);
  const nowRequired = new Set(after.required ?? []);
  const names = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort();
  for (const name of names) {
    const at = `${path}properties.${name}`;
    if (!(name in now)) {
      out.push({ field: at, before: was[name], after: null, breaking: true });
    } else if (!(name in was)) {
      out.push({ field: at, before: null, after: now[name], breaking: nowRequired.has(name) });
    } else {
      if (wasRequired.has(name) !== nowRequired.has(name)) {
        const breaking = nowRequired.has(name);
        out.push({ field: `${at}.required`, before: wasRequired.has(name), after: nowRequired.has(name), breaking });
      }
      diffSchema(`${at}.`, was[name]!, now[name]!, out);
    }
  }
}

function diffSchema(path: string, before: JsonSchema, after: JsonSchema, out: FieldDiff[]) {
  if (before.type !== after.type) {
    out.push({ field: `${path}type`, before: before.type, after: after.type, breaking: true });
    return;
  }
  if ((before.description ?? "") !== (after.description ?? "")) {
    out.push({
      field: `${path}description`,
      before: before.description ?? "",
      after: after.description ?? "",
      breaking: false,
    });
  }
  for (const keyword of RULE_KEYWORDS) {
    const a = before[keyword];
    const b = after[keyword];
    if (!same(a, b)) {
      out.push({ field: `${path}${keyword}`, before: a ?? null, after: b ?? null, breaking: tightens(keyword, a, b) });
    }
  }
  if (before.items || after.items) {
    if (!before.items || !after.items) {
      // Declaring an item type where there was none is a tightening; dropping it a loosening.
      out.push({
        field: `${path}items`,
        before: before.items ?? null,
        after: after.items ?? null,
        breaking: !before.items,
      });
    } else {
      diffSchema(`${path}items.`, before.items, after.items, out);
    }
  }
  diffProperties(path, before, after, out);
}

/** The changes from one canonical event document to another (empty when equal). */
export function diffEventDocuments(before: JsonSchema, after: JsonSchema): FieldDiff[] {
  const out: FieldDiff[] = [];
  diffSchema("", before, after, out);
  return out;
}
