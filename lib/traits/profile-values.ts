// One profile's computed traits from its loaded inputs (pure), the changes against the stored
// values, and the flat user properties those values become in Heap.

import { type HeapValue, heapValue } from "@/lib/delivery/destinations/heap";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { stableJson } from "@/lib/stable-json";
import { destinationEligibility, matchQuality, type ProfileView, profileIdentifiers } from "@/lib/traits/builtins";
import type { CompiledRule } from "@/lib/traits/compile-rule";
import { evaluateRule } from "@/lib/traits/rule-eval";

export type TraitValue = string | number | boolean | null | Record<string, unknown>;

export interface ProfileInputs {
  view: ProfileView;
  lastConversion: { event: string; at: string } | null;
  /** Event counts by countKey(event, windowMs). */
  counts: Map<string, number>;
  rules: { key: string; compiled: CompiledRule }[];
  destinations: { name: string; type: DestinationType }[];
}

export function computeTraits(inputs: ProfileInputs): Record<string, TraitValue> {
  const { ids, consent } = profileIdentifiers(inputs.view);
  const quality = matchQuality(ids);
  const values: Record<string, TraitValue> = {
    match_quality: quality,
    destination_eligibility: destinationEligibility(ids, consent, inputs.destinations) as unknown as Record<
      string,
      unknown
    >,
    last_conversion: inputs.lastConversion,
  };
  for (const rule of inputs.rules) {
    values[rule.key] = evaluateRule(rule.compiled.ast, {
      traits: inputs.view.traits,
      counts: inputs.counts,
      matchQuality: quality,
    });
  }
  return values;
}

export interface TraitChangeRow {
  key: string;
  value: TraitValue | undefined;
  previous: TraitValue | undefined;
}

/** Keys whose value differs from the stored one; stored keys no longer computed are removed (value undefined). */
export function changedTraits(stored: Record<string, TraitValue>, next: Record<string, TraitValue>): TraitChangeRow[] {
  const keys = [...new Set([...Object.keys(stored), ...Object.keys(next)])].sort();
  return keys
    .filter((k) => !(k in stored) || !(k in next) || stableJson(stored[k]) !== stableJson(next[k]))
    .map((k) => ({ key: k, value: k in next ? next[k] : undefined, previous: k in stored ? stored[k] : undefined }));
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");

/** Heap holds flat string / number properties: nested computed values become several properties. */
export function heapProperties(values: Record<string, TraitValue | undefined>): Record<string, HeapValue> {
  const out: Record<string, HeapValue> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (key === "destination_eligibility") {
      for (const [name, e] of Object.entries((value ?? {}) as Record<string, { eligible?: boolean }>))
        out[`eligible_${slug(name)}`] = heapValue(Boolean(e?.eligible));
    } else if (key === "last_conversion") {
      const c = value as { event?: string; at?: string } | null;
      out.last_conversion_event = heapValue(c?.event ?? "");
      out.last_conversion_at = heapValue(c?.at ?? "");
    } else out[key] = heapValue(value);
  }
  return out;
}

/**
 * Only the Heap properties whose value changed. Heap cannot unset a property, so one that is gone
 * (a deleted rule, a disabled destination's eligibility) is blanked rather than left stale.
 */
export function changedHeapProperties(
  stored: Record<string, TraitValue>,
  next: Record<string, TraitValue>,
): Record<string, HeapValue> {
  const before = heapProperties(stored);
  const after = heapProperties(next);
  const blanked = Object.keys(before).filter((k) => !(k in after) && before[k] !== "");
  return {
    ...Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k] !== v)),
    ...Object.fromEntries(blanked.map((k) => [k, ""])),
  };
}
