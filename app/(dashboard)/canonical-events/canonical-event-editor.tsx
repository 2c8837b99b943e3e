"use client";
// Create or edit a canonical event and its property schema (rows of name, type, required, and
// the value rules that fit the type).
import { useState } from "react";
import { FieldError, FormAlert, TextField } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import {
  canonicalEventCreateSchema,
  canonicalEventUpdateSchema,
  PROPERTY_TYPES,
  type PropertyDefinition,
} from "@/lib/validations/canonical-events";
import { draftsOf, type RuleDrafts, withRules } from "./rule-drafts";
import { RuleFields } from "./rule-fields";

interface Props {
  event?: { id: string; name: string; description: string; properties: PropertyDefinition[] };
}

/** An editable row: `key` keeps React's identity of a row stable while rows above it are removed. */
type Row = PropertyDefinition & { key: string; drafts: RuleDrafts };
const asRow = (p: PropertyDefinition): Row => ({ ...p, key: crypto.randomUUID(), drafts: draftsOf(p) });
const blank = (): Row => asRow({ name: "", type: "string", required: false, description: "" });
const definitionOf = ({ key: _key, drafts, ...definition }: Row): PropertyDefinition => withRules(definition, drafts);

export function CanonicalEventEditor({ event }: Props) {
  const form = useApiForm(
    event ? canonicalEventUpdateSchema : canonicalEventCreateSchema,
    event ? "PATCH" : "POST",
    event ? `/api/canonical-events/${event.id}` : "/api/canonical-events",
  );
  const [props, setProps] = useState<Row[]>(() => event?.properties.map(asRow) ?? [blank()]);
  const [done, setDone] = useState<string | null>(null);
  const set = (i: number, patch: Partial<Row>) => setProps(props.map((p, j) => (j === i ? { ...p, ...patch } : p)));

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const body = {
      ...(event ? {} : { name: String(data.get("name") ?? "") }),
      description: String(data.get("description") ?? ""),
      properties: props.filter((p) => p.name.trim() !== "").map(definitionOf),
    };
    const saved = await form.submit(body);
    if (saved) {
      setDone(event ? "Saved." : "Created.");
      if (!event) {
        e.currentTarget?.reset();
        setProps([blank()]);
      }
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate style={{ maxWidth: "none" }}>
      <FormAlert error={form.error} success={done} />
      {event ? null : (
        <TextField label="Name (lower_snake_case)" name="name" placeholder="start_trial" errors={form.errors} />
      )}
      <TextField label="Description" name="description" defaultValue={event?.description ?? ""} errors={form.errors} />
      <fieldset>
        <legend>Properties</legend>
        {props.map((p, i) => (
          <div key={p.key} className="row" style={{ marginBottom: ".4rem" }}>
            <input
              aria-label={`Property ${i + 1} name`}
              placeholder="name"
              value={p.name}
              onChange={(e) => set(i, { name: e.target.value })}
            />
            <select
              aria-label={`Property ${i + 1} type`}
              value={p.type}
              onChange={(e) => set(i, { type: e.target.value as PropertyDefinition["type"] })}
            >
              {PROPERTY_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
            <label className="inline">
              <input type="checkbox" checked={p.required} onChange={(e) => set(i, { required: e.target.checked })} />{" "}
              required
            </label>
            <label className="inline">
              <input
                type="checkbox"
                checked={p.personal ?? false}
                onChange={(e) => set(i, { personal: e.target.checked || undefined })}
              />{" "}
              personal
            </label>
            <input
              aria-label={`Property ${i + 1} description`}
              placeholder="description"
              value={p.description}
              onChange={(e) => set(i, { description: e.target.value })}
            />
            <button
              type="button"
              onClick={() => setProps(props.filter((_, j) => j !== i))}
              aria-label={`Remove property ${i + 1}`}
            >
              ✕
            </button>
            <FieldError errors={form.errors} name={`properties.${i}.name`} />
            <RuleFields
              index={i}
              type={p.type}
              drafts={p.drafts}
              onChange={(drafts) => set(i, { drafts })}
              errors={form.errors}
            />
          </div>
        ))}
        <button type="button" onClick={() => setProps([...props, blank()])}>
          Add property
        </button>
      </fieldset>
      <div>
        <button className="primary" type="submit" disabled={form.pending}>
          {event ? "Save" : "Create canonical event"}
        </button>
      </div>
    </form>
  );
}
