"use client";
// Admins' retention settings: how long events, raw payloads, delivery logs, violation samples, dead
// letters and audit entries are kept. The server checks that nothing outlives the events.
import { FieldError, FormAlert } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import type { Retention } from "@/lib/retention/settings";
import { workspaceUpdateSchema } from "@/lib/validations/workspace";

const FIELDS: { key: keyof Retention; label: string; unit: string; min: number }[] = [
  { key: "events_months", label: "Events", unit: "months", min: 1 },
  { key: "payloads_days", label: "Raw payloads (the call as received)", unit: "days", min: 1 },
  { key: "delivery_logs_days", label: "Delivery logs (requests and answers)", unit: "days", min: 1 },
  { key: "violation_samples_days", label: "Violation samples (rejected calls)", unit: "days", min: 1 },
  { key: "dead_letters_days", label: "Dead letters", unit: "days", min: 1 },
  { key: "audit_log_days", label: "Audit log", unit: "days", min: 365 },
];

export function RetentionForm({ retention, editable }: { retention: Retention; editable: boolean }) {
  const form = useApiForm(workspaceUpdateSchema, "PATCH", "/api/workspace");
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const entries = FIELDS.map(({ key }) => {
      const raw = String(data.get(`retention.${key}`) ?? "").trim();
      // An empty or non-numeric entry is sent as is, so the schema names the field.
      return [key, raw === "" || Number.isNaN(Number(raw)) ? raw : Number(raw)];
    });
    await form.submit({ retention: Object.fromEntries(entries) });
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Retention">
      <FormAlert error={form.error} />
      {FIELDS.map(({ key, label, unit, min }) => (
        <label key={key}>
          {label} ({unit})
          <input
            type="number"
            name={`retention.${key}`}
            min={min}
            step={1}
            defaultValue={retention[key]}
            disabled={!editable}
          />
          <FieldError errors={form.errors} name={`retention.${key}`} />
        </label>
      ))}
      {editable ? (
        <button type="submit" disabled={form.pending}>
          Save retention
        </button>
      ) : (
        <p className="muted">Only admins change retention.</p>
      )}
    </form>
  );
}
