// Pure: review evidence over sampled source events — which properties they carry (presence, types,
// examples) and what a revision would do to them, judged by ingest's own checks (applyRenames + checkProperties).
import { typeOf } from "@/lib/ingest/check-value";
import { applyRenames, checkProperties } from "@/lib/ingest/resolve-event";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";

export interface ObservedProperty {
  name: string;
  present: number;
  presence_pct: number;
  /** { type: events carrying the property with that type } */
  types: Record<string, number>;
  examples: unknown[];
}

export interface RevisionRules {
  canonicalName: string;
  required: string[];
  renames: Record<string, string>;
  definitions: PropertyDefinition[];
}

export interface RejectionCause {
  /** "missing" | "wrong_type" | a value rule (enum, pattern, …) */
  code: string;
  property: string;
  label: string;
  events: number;
  pct: number;
}

export interface DryRun {
  events: number;
  accepted: number;
  rejected: number;
  accept_pct: number;
  reject_pct: number;
  causes: RejectionCause[];
}

const EXAMPLES = 3;
const EXAMPLE_CHARS = 60;

/** A percentage with one decimal; 0 of 0 is 0. */
export const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

const preview = (value: unknown) => {
  if (typeof value === "string") return value.length > EXAMPLE_CHARS ? `${value.slice(0, EXAMPLE_CHARS)}…` : value;
  if (value !== null && typeof value === "object") {
    const text = JSON.stringify(value);
    return text.length > EXAMPLE_CHARS ? `${text.slice(0, EXAMPLE_CHARS)}…` : text;
  }
  return value;
};

/** Top-level properties over the samples, most present first. Null and "" count as absent, as in ingest. */
export function observeProperties(samples: Record<string, unknown>[]): ObservedProperty[] {
  const seen = new Map<string, { present: number; types: Record<string, number>; examples: unknown[] }>();
  for (const properties of samples) {
    for (const [name, value] of Object.entries(properties)) {
      if (value === undefined || value === null || value === "") continue;
      let entry = seen.get(name);
      if (!entry) {
        entry = { present: 0, types: {}, examples: [] };
        seen.set(name, entry);
      }
      entry.present += 1;
      const type = typeOf(value);
      entry.types[type] = (entry.types[type] ?? 0) + 1;
      const example = preview(value);
      if (entry.examples.length < EXAMPLES && !entry.examples.some((e) => Object.is(e, example))) {
        entry.examples.push(example);
      }
    }
  }
  return [...seen]
    .map(([name, e]) => ({ name, ...e, presence_pct: percent(e.present, samples.length) }))
    .sort((a, b) => b.present - a.present || a.name.localeCompare(b.name));
}

function labelOf(code: string, property: string, message: string): string {
  if (code === "missing") return `missing ${property}`;
  if (code === "wrong_type") return `wrong type ${property} (${message.replace(/ \(got .*\)$/, "")})`;
  return `${code} rule on ${property}`;
}

/** What the revision would answer each sampled event: accepted or rejected, and why, per cause. */
export function dryRunRevision(samples: Record<string, unknown>[], rules: RevisionRules): DryRun {
  const causes = new Map<string, RejectionCause>();
  let rejected = 0;
  for (const properties of samples) {
    const canonical = applyRenames(properties, rules.renames);
    const problems = checkProperties(canonical, rules.required, rules.definitions, rules.canonicalName);
    if (problems.length === 0) continue;
    rejected += 1;
    const counted = new Set<string>();
    for (const p of problems) {
      const property = p.path.replace(/^properties\./, "").split(".")[0] ?? p.path;
      const code = p.code ?? "invalid";
      const key = `${code}\u0000${property}`;
      if (counted.has(key)) continue;
      counted.add(key);
      const cause = causes.get(key) ?? { code, property, label: labelOf(code, property, p.message), events: 0, pct: 0 };
      cause.events += 1;
      causes.set(key, cause);
    }
  }
  const events = samples.length;
  return {
    events,
    accepted: events - rejected,
    rejected,
    accept_pct: percent(events - rejected, events),
    reject_pct: percent(rejected, events),
    causes: [...causes.values()]
      .map((c) => ({ ...c, pct: percent(c.events, events) }))
      .sort((a, b) => b.events - a.events || a.label.localeCompare(b.label)),
  };
}

/** "missing pipeline_stage 100 %, wrong type value 5 %" — the causes in one line. */
export function describeCauses(run: DryRun, max = 3): string {
  const shown = run.causes.slice(0, max).map((c) => `${c.label} ${c.pct} %`);
  const more = run.causes.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}
