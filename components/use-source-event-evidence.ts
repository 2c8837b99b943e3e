"use client";
// The promote form's evidence: a source event's observed properties and, once a canonical event is chosen,
// a dry run of the draft (GET /api/source-events/evidence), refetched shortly after each change.
import { useEffect, useState } from "react";
import { callApi } from "@/components/ui/api-client";
import type { Evidence } from "@/lib/registry/mappings/evidence";

/** Seen on at least this % of the sampled events: pre-ticked as required. */
export const NEARLY_ALL_PCT = 95;

interface Draft {
  source: string;
  sourceEvent: string;
  canonical: string;
  required: string[];
  renames: Record<string, string>;
}

function evidenceUrl(draft: Draft): string {
  const params = new URLSearchParams({ source: draft.source, source_event: draft.sourceEvent.trim() });
  if (draft.canonical) {
    params.set("canonical_event", draft.canonical);
    params.set("required_properties", draft.required.join(","));
    const pairs = Object.entries(draft.renames).filter(([from, to]) => from && to && !/[,:]/.test(from + to));
    if (pairs.length) params.set("property_renames", pairs.map(([from, to]) => `${from}:${to}`).join(","));
  }
  return `/api/source-events/evidence?${params}`;
}

export function useSourceEventEvidence(draft: Draft): Evidence | null {
  const [evidence, setEvidence] = useState<Evidence | null>(null);
  const url = draft.source && draft.sourceEvent.trim() ? evidenceUrl(draft) : null;
  useEffect(() => {
    if (!url) {
      setEvidence(null);
      return;
    }
    let current = true;
    const timer = setTimeout(async () => {
      const result = await callApi<Evidence>("GET", url);
      if (current) setEvidence(result.ok ? result.data : null);
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [url]);
  return evidence;
}

/** The canonical properties to pre-tick: declared required and seen (under their name or a rename) on nearly all samples. */
export function preTicked(
  definitions: { name: string; required: boolean }[],
  evidence: Evidence | null,
  renames: Record<string, string>,
): string[] {
  const declared = definitions.filter((p) => p.required).map((p) => p.name);
  if (!evidence || evidence.sampled === 0) return declared;
  const presence = new Map(evidence.properties.map((p) => [p.name, p.presence_pct]));
  const seen = (name: string) =>
    Math.max(
      presence.get(name) ?? 0,
      ...Object.entries(renames)
        .filter(([, to]) => to === name)
        .map(([from]) => presence.get(from) ?? 0),
    );
  return declared.filter((name) => seen(name) >= NEARLY_ALL_PCT);
}
