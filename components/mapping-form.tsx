"use client";
// Propose or edit a mapping. Validates with the API's own zod schema before sending; shows what the source
// event's recent events carry and a dry run of the draft, and pre-ticks only properties they nearly all carry.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { InlineCanonicalEvent } from "@/components/inline-canonical-event";
import { ReviewEvidence } from "@/components/review-evidence";
import { FieldError, FormAlert } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { preTicked, useSourceEventEvidence } from "@/components/use-source-event-evidence";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";
import { mappingCreateSchema, mappingUpdateSchema } from "@/lib/validations/mappings";

export interface CanonicalOption {
  name: string;
  properties: PropertyDefinition[];
}

interface Props {
  sources: { key: string; name: string }[];
  canonicalEvents: CanonicalOption[];
  /** Present when editing. */
  mapping?: {
    id: string;
    source: string;
    source_event: string;
    canonical_event: string;
    required_properties: string[];
    property_renames: Record<string, string>;
    note: string;
  };
  prefill?: { source?: string; source_event?: string };
}

function parseRenames(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const [from, to] = line.split(/\s*(?:->|→|=)\s*/);
    if (from?.trim()) out[from.trim()] = (to ?? "").trim();
  }
  return out;
}

export function MappingForm({ sources, canonicalEvents, mapping, prefill }: Props) {
  const router = useRouter();
  const editing = Boolean(mapping);
  const form = useApiForm(
    editing ? mappingUpdateSchema : mappingCreateSchema,
    editing ? "PATCH" : "POST",
    editing ? `/api/mappings/${mapping!.id}` : "/api/mappings",
  );
  const [canonical, setCanonical] = useState(mapping?.canonical_event ?? "");
  const [created, setCreated] = useState<CanonicalOption[]>([]);
  const choices = [...canonicalEvents, ...created.filter((c) => !canonicalEvents.some((e) => e.name === c.name))];
  const properties = choices.find((c) => c.name === canonical)?.properties ?? [];
  const [source, setSource] = useState(mapping?.source ?? prefill?.source ?? sources[0]?.key ?? "");
  const [sourceEvent, setSourceEvent] = useState(mapping?.source_event ?? prefill?.source_event ?? "");
  const [required, setRequired] = useState<string[]>(mapping?.required_properties ?? []);
  const [renames, setRenames] = useState(
    Object.entries(mapping?.property_renames ?? {})
      .map(([from, to]) => `${from} -> ${to}`)
      .join("\n"),
  );

  const evidence = useSourceEventEvidence({
    source,
    sourceEvent,
    canonical,
    required,
    renames: parseRenames(renames),
  });

  function chooseCanonical(name: string, defs = choices.find((c) => c.name === name)?.properties ?? []) {
    setCanonical(name);
    setRequired(preTicked(defs, evidence, parseRenames(renames)));
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const content = {
      canonical_event: canonical,
      required_properties: required,
      property_renames: parseRenames(renames),
      note: String(data.get("note") ?? ""),
    };
    const body = editing ? content : { source, source_event: sourceEvent, ...content };
    const saved = await form.submit(body);
    if (saved && typeof saved === "object" && "id" in saved) router.push(`/mappings/${String(saved.id)}`);
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={form.error} />
      <label>
        Source
        <select
          name="source"
          aria-label="Source"
          value={source}
          onChange={(e) => setSource(e.target.value)}
          disabled={editing}
        >
          {sources.map((s) => (
            <option key={s.key} value={s.key}>
              {s.name} ({s.key})
            </option>
          ))}
        </select>
        <FieldError errors={form.errors} name="source" />
      </label>
      <label>
        Source event (exact label, e.g. a Heap virtual event)
        <input
          name="source_event"
          value={sourceEvent}
          onChange={(e) => setSourceEvent(e.target.value)}
          disabled={editing}
          placeholder="Lead Form Qualified in UI"
        />
        <FieldError errors={form.errors} name="source_event" />
      </label>
      <label>
        Canonical event
        <select
          name="canonical_event"
          aria-label="Canonical event"
          value={canonical}
          onChange={(e) => chooseCanonical(e.target.value)}
        >
          <option value="">Choose…</option>
          {choices.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
        <FieldError errors={form.errors} name="canonical_event" />
      </label>
      <details>
        <summary>The right canonical event is missing? Create it</summary>
        <InlineCanonicalEvent
          observed={evidence?.properties ?? []}
          onCreated={(event) => {
            setCreated([...created, event]);
            chooseCanonical(event.name, event.properties);
          }}
        />
      </details>
      <fieldset>
        <legend>Required properties</legend>
        {properties.length === 0 ? (
          <span className="muted">Choose a canonical event to see its properties.</span>
        ) : null}
        {properties.map((p) => (
          <label key={p.name} className="inline">
            <input
              type="checkbox"
              checked={required.includes(p.name)}
              onChange={(e) =>
                setRequired(e.target.checked ? [...required, p.name] : required.filter((r) => r !== p.name))
              }
            />
            <code>{p.name}</code> <span className="muted">{p.type}</span>
          </label>
        ))}
        <FieldError errors={form.errors} name="required_properties" />
        {required.map((name, i) => (
          <FieldError key={name} errors={form.errors} name={`required_properties.${i}`} />
        ))}
      </fieldset>
      <label>
        Property renames (one per line: <code>source_property -&gt; canonical_property</code>)
        <textarea
          name="property_renames"
          value={renames}
          onChange={(e) => setRenames(e.target.value)}
          placeholder="orderId -> order_id"
        />
        {Object.entries(form.errors)
          .filter(([k]) => k.startsWith("property_renames"))
          .map(([k, message]) => (
            <span key={k} className="field-error" role="alert">
              {k.replace("property_renames.", "")}: {message}
            </span>
          ))}
      </label>
      {evidence ? (
        <div>
          <strong>What recent “{sourceEvent.trim()}” events carry</strong>
          <ReviewEvidence evidence={evidence} label="Evidence for this draft" />
        </div>
      ) : null}
      <label>
        Note for reviewers
        <textarea name="note" defaultValue={mapping?.note ?? ""} />
        <FieldError errors={form.errors} name="note" />
      </label>
      <div className="row">
        <button className="primary" type="submit" disabled={form.pending}>
          {editing ? "Save changes" : "Create draft"}
        </button>
      </div>
    </form>
  );
}
