"use client";
// Create a missing canonical event from the promote form: a name, and the properties the source event's
// recent events carry (each with its observed type), ticked ones required.
import { useState } from "react";
import { FieldError, FormAlert } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { NEARLY_ALL_PCT } from "@/components/use-source-event-evidence";
import type { ObservedProperty } from "@/lib/registry/mappings/dry-run";
import { canonicalEventCreateSchema } from "@/lib/validations/canonical-events";
import type { PropertyDefinition, PropertyType } from "@/lib/validations/value-rules";

const TYPES = new Set(["string", "number", "boolean", "object", "array"]);

/** The most frequent observed type that a canonical property can declare. */
function typeOf(p: ObservedProperty): PropertyType {
  const best = Object.entries(p.types)
    .filter(([t]) => TYPES.has(t))
    .sort((a, b) => b[1] - a[1])[0];
  return (best?.[0] ?? "string") as PropertyType;
}

interface Props {
  observed: ObservedProperty[];
  onCreated: (event: { name: string; properties: PropertyDefinition[] }) => void;
}

export function InlineCanonicalEvent({ observed, onCreated }: Props) {
  const form = useApiForm(canonicalEventCreateSchema, "POST", "/api/canonical-events");
  const [name, setName] = useState("");
  const [required, setRequired] = useState<string[]>(
    observed.filter((p) => p.presence_pct >= NEARLY_ALL_PCT).map((p) => p.name),
  );

  async function create() {
    const properties = observed.map((p) => ({
      name: p.name,
      type: typeOf(p),
      required: required.includes(p.name),
      description: "",
    }));
    const created = await form.submit({ name, description: "", properties });
    if (created) onCreated({ name: name.trim(), properties });
  }

  // A fieldset, not a form: it sits inside the mapping form.
  return (
    <fieldset aria-label="Define the missing event">
      <legend>Define the missing event</legend>
      <FormAlert error={form.error} />
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="view_pricing" />
        <FieldError errors={form.errors} name="name" />
      </label>
      {observed.length ? <span className="muted">Properties seen on recent events (ticked: required)</span> : null}
      {observed.map((p) => (
        <label key={p.name} className="inline">
          <input
            type="checkbox"
            checked={required.includes(p.name)}
            onChange={(e) =>
              setRequired(e.target.checked ? [...required, p.name] : required.filter((r) => r !== p.name))
            }
          />
          <code>{p.name}</code>{" "}
          <span className="muted">
            {typeOf(p)} · seen on {p.presence_pct} %
          </span>
        </label>
      ))}
      <div className="row">
        <button type="button" disabled={form.pending} onClick={() => void create()}>
          Create canonical event
        </button>
      </div>
    </fieldset>
  );
}
