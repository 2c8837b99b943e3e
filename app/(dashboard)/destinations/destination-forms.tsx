"use client";
// Create / edit a destination with the typed form of its platform (one field description per setting),
// secrets write-only; settings the form does not know are kept as they are.
import { useState } from "react";
import { FormAlert, TextField } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import {
  DESTINATION_FORMS,
  type DestinationField,
  type FieldGroup,
  parseMapLines,
} from "@/lib/delivery/destinations/form-fields";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { DESTINATION_TYPES, destinationCreateSchema, destinationUpdateSchema } from "@/lib/validations/delivery";
import { DestinationFieldList, inputName } from "./destination-fields";

interface Existing {
  id: string;
  type: DestinationType;
  name: string;
  enabled: boolean;
  test_mode: boolean;
  config: Record<string, unknown>;
  secrets_set: string[];
}

/** The config the form describes, merged over the stored one (unknown keys kept, emptied fields removed). */
function configFrom(data: FormData, fields: DestinationField[], stored: Record<string, unknown>) {
  const config: Record<string, unknown> = { ...stored };
  for (const f of fields.filter((x) => !x.secret)) {
    const raw = data.get(inputName(f));
    const text = typeof raw === "string" ? raw.trim() : "";
    delete config[f.name];
    if (f.kind === "boolean") {
      if (raw === "on") config[f.name] = true;
    } else if (f.kind === "map") {
      const map = parseMapLines(text);
      if (Object.keys(map).length) config[f.name] = map;
    } else if (text) config[f.name] = f.kind === "number" ? Number(text) : text;
  }
  return config;
}

function secretsFrom(data: FormData, fields: DestinationField[]) {
  const secrets: Record<string, string> = {};
  for (const f of fields.filter((x) => x.secret)) {
    const value = String(data.get(inputName(f)) ?? "").trim();
    if (value) secrets[f.name] = value;
  }
  return secrets;
}

const GROUPS: { group: FieldGroup; title: string }[] = [
  { group: "main", title: "" },
  { group: "credentials", title: "Credentials" },
  { group: "oauth", title: "OAuth refresh credentials (recommended: access tokens are minted as they expire)" },
];

export function DestinationEditor({ destination }: { destination?: Existing }) {
  const form = useApiForm(
    destination ? destinationUpdateSchema : destinationCreateSchema,
    destination ? "PATCH" : "POST",
    destination ? `/api/destinations/${destination.id}` : "/api/destinations",
  );
  const [type, setType] = useState<DestinationType>(destination?.type ?? "webhook");
  const [done, setDone] = useState<string | null>(null);
  const spec = DESTINATION_FORMS[type];
  const known = new Set(spec.fields.map(inputName));
  const otherErrors = Object.entries(form.errors).filter(([path]) => !known.has(path) && path !== "name");

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setDone(null);
    const data = new FormData(e.currentTarget);
    const secrets = secretsFrom(data, spec.fields);
    const body = {
      ...(destination ? {} : { type }),
      name: String(data.get("name") ?? ""),
      config: configFrom(data, spec.fields, destination?.config ?? {}),
      ...(Object.keys(secrets).length || !destination ? { secrets } : {}),
      enabled: data.get("enabled") === "on",
      test_mode: data.get("test_mode") === "on",
    };
    if (await form.submit(body)) setDone(destination ? "Saved." : "Destination created.");
  }
  const idPrefix = `${destination?.id ?? "new"}-${type}`;
  return (
    <form
      className="form"
      onSubmit={onSubmit}
      noValidate
      aria-label={destination ? `Edit ${destination.name}` : "New destination"}
    >
      <FormAlert error={form.error} success={done} />
      {otherErrors.length ? (
        <ul className="field-error">
          {otherErrors.map(([path, message]) => (
            <li key={path}>
              {path}: {message}
            </li>
          ))}
        </ul>
      ) : null}
      {destination ? null : (
        <label>
          Type
          <select name="type" value={type} onChange={(e) => setType(e.target.value as DestinationType)}>
            {DESTINATION_TYPES.map((t) => (
              <option key={t} value={t}>
                {DESTINATION_FORMS[t].label}
              </option>
            ))}
          </select>
        </label>
      )}
      <p className="muted">{spec.intro}</p>
      <TextField label="Name" name="name" defaultValue={destination?.name ?? ""} errors={form.errors} />
      <div key={idPrefix} style={{ display: "grid", gap: ".8rem" }}>
        {GROUPS.map(({ group, title }) => {
          const fields = spec.fields.filter((f) => f.group === group);
          if (!fields.length) return null;
          const list = (
            <DestinationFieldList
              key={group}
              fields={fields}
              config={destination?.config ?? {}}
              secretsSet={destination?.secrets_set ?? []}
              errors={form.errors}
              idPrefix={idPrefix}
            />
          );
          return title ? (
            <fieldset key={group} style={{ display: "grid", gap: ".8rem" }}>
              <legend>{title}</legend>
              {list}
            </fieldset>
          ) : (
            <div key={group} style={{ display: "grid", gap: ".8rem" }}>
              {list}
            </div>
          );
        })}
        {spec.fields.some((f) => f.group === "advanced") ? (
          <details open={spec.fields.some((f) => f.group === "advanced" && form.errors[inputName(f)]) || undefined}>
            <summary>Advanced settings</summary>
            <div style={{ display: "grid", gap: ".8rem", marginTop: ".6rem" }}>
              <DestinationFieldList
                fields={spec.fields.filter((f) => f.group === "advanced")}
                config={destination?.config ?? {}}
                secretsSet={destination?.secrets_set ?? []}
                errors={form.errors}
                idPrefix={idPrefix}
              />
            </div>
          </details>
        ) : null}
      </div>
      <label className="inline">
        <input type="checkbox" name="enabled" defaultChecked={destination?.enabled ?? false} /> Enabled (events are
        sent)
      </label>
      <label className="inline">
        <input type="checkbox" name="test_mode" defaultChecked={destination?.test_mode ?? true} /> Test mode (test event
        codes, debug endpoints)
      </label>
      <button className="primary" type="submit" disabled={form.pending}>
        {destination ? "Save" : "Create destination"}
      </button>
    </form>
  );
}
