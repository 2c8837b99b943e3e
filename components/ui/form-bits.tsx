// Small form building blocks: a field error line and a form-level alert.
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
  return <span className={`badge ${status}`}>{status.replace("_", " ")}</span>;
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
