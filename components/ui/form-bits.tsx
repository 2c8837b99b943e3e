// Small form building blocks: a labelled text field, a field error line and a form-level alert.
import type { InputHTMLAttributes, ReactNode } from "react";
import { Badge } from "./badge";
export function FieldError({ errors, name }: { errors: Record<string, string>; name: string }) {
  const message = errors[name];
  return message ? (
    <span className="field-error" role="alert">
      {message}
    </span>
  ) : null;
}

export function FormAlert({ error, success }: { error?: string | null; success?: string | null }) {
  if (error)
    return (
      <div className="alert error" role="alert">
        {error}
      </div>
    );
  if (success)
    return (
      <div className="alert ok" role="status">
        {success}
      </div>
    );
  return null;
}

export function StatusBadge({ status }: { status: string }) {
  return <Badge status={status}>{status.replace("_", " ")}</Badge>;
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** A credential shown once, right after it was created (only its hash is stored). */
export function SecretOnce({ what, value }: { what: string; value: string | null }) {
  if (!value) return null;
  return (
    <div role="status">
      <p>Copy this {what} now; it will not be shown again:</p>
      <div className="secret" data-testid="new-secret">
        {value}
      </div>
    </div>
  );
}

type TextFieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: ReactNode;
  name: string;
  /** The form's field errors (use-api-form.ts); the one for `name` shows under the input. */
  errors?: Record<string, string>;
};

/** A labelled input with its field error. */
export function TextField({ label, errors, ...input }: TextFieldProps) {
  return (
    <label>
      {label}
      <input {...input} />
      {errors ? <FieldError errors={errors} name={input.name} /> : null}
    </label>
  );
}
