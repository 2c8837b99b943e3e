"use client";
// The typed inputs of one destination form, drawn from its field descriptions (form-fields.ts): labelled,
// with help and where each credential comes from; secrets are write-only ("set" — type to replace).
import { FieldError } from "@/components/ui/form-bits";
import { type DestinationField, mapToLines } from "@/lib/delivery/destinations/form-fields";

interface Props {
  fields: DestinationField[];
  config: Record<string, unknown>;
  secretsSet: string[];
  errors: Record<string, string>;
  /** Inputs of another destination type stay out of the DOM: the type's key makes React reset them. */
  idPrefix: string;
}

const fieldPath = (f: DestinationField) => `${f.secret ? "secrets" : "config"}.${f.name}`;
export const inputName = fieldPath;

function Help({ field }: { field: DestinationField }) {
  return (
    <small>
      {field.help}
      {field.link ? (
        <>
          {field.help ? " " : ""}Find it:{" "}
          <a href={field.link.href} target="_blank" rel="noreferrer">
            {field.link.text}
          </a>
        </>
      ) : null}
    </small>
  );
}

function Input({
  field,
  config,
  secretsSet,
  idPrefix,
}: Omit<Props, "fields" | "errors"> & { field: DestinationField }) {
  const name = fieldPath(field);
  const value = config[field.name];
  const id = `${idPrefix}-${field.name}`;
  const describedBy = `${id}-help`;
  if (field.secret) {
    const set = secretsSet.includes(field.name);
    return (
      <input
        name={name}
        type="password"
        autoComplete="off"
        id={id}
        aria-describedby={describedBy}
        placeholder={set ? "set — type a new value to replace it" : "not set"}
      />
    );
  }
  if (field.kind === "boolean")
    return <input name={name} type="checkbox" defaultChecked={value === true} id={id} aria-describedby={describedBy} />;
  if (field.kind === "select")
    return (
      <select name={name} defaultValue={typeof value === "string" ? value : ""} id={id} aria-describedby={describedBy}>
        <option value="">(default)</option>
        {field.options?.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  if (field.kind === "map")
    return (
      <textarea
        name={name}
        rows={3}
        defaultValue={mapToLines(value)}
        placeholder="canonical_event = value"
        id={id}
        aria-describedby={describedBy}
      />
    );
  return (
    <input
      name={name}
      type={field.kind === "number" ? "number" : field.kind === "url" ? "url" : "text"}
      defaultValue={value === undefined || value === null ? "" : String(value)}
      placeholder={field.placeholder}
      id={id}
      aria-describedby={describedBy}
    />
  );
}

export function DestinationFieldList({ fields, errors, ...rest }: Props) {
  return (
    <>
      {fields.map((field) => {
        const id = `${rest.idPrefix}-${field.name}`;
        const set = field.secret && rest.secretsSet.includes(field.name);
        return (
          <div key={field.name} style={{ display: "grid", gap: ".25rem" }}>
            <label htmlFor={id} className={field.kind === "boolean" ? "inline" : undefined}>
              {field.label}
              {field.required ? " (required)" : ""}
            </label>
            <span className="row">
              <Input field={field} {...rest} />
              {field.secret ? (
                <span className={set ? "badge approved" : "muted"}>{set ? "set" : "secret, write-only"}</span>
              ) : null}
            </span>
            <span id={`${id}-help`}>
              <Help field={field} />
            </span>
            <FieldError errors={errors} name={fieldPath(field)} />
          </div>
        );
      })}
    </>
  );
}
