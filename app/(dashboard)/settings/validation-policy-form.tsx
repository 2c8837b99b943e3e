"use client";
// Growth's approval policy: a passed end-to-end validation first, and the rejection threshold above which
// approving a revision needs an explicit confirmation.
import { useState } from "react";
import { FieldError, FormAlert } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { workspaceUpdateSchema } from "@/lib/validations/workspace";

interface Props {
  required: boolean;
  thresholdPct: number;
  editable: boolean;
}

export function ValidationPolicyForm({ required, thresholdPct, editable }: Props) {
  const form = useApiForm(workspaceUpdateSchema, "PATCH", "/api/workspace");
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const threshold = String(data.get("approval_rejection_threshold_pct") ?? "").trim();
    const body = {
      require_validation: data.get("require_validation") === "on",
      // An empty or non-numeric entry is sent as is, so the schema names the field.
      approval_rejection_threshold_pct:
        threshold === "" || Number.isNaN(Number(threshold)) ? threshold : Number(threshold),
    };
    if (await form.submit(body)) setDone("Saved.");
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Validation policy">
      <FormAlert error={form.error} success={done} />
      <label className="inline">
        <input type="checkbox" name="require_validation" defaultChecked={required} disabled={!editable} />
        Require a passed end-to-end validation (four green checks) of a revision before it can be approved
      </label>
      <label>
        Ask for a confirmation when a revision would reject more than this % of the last 7 days' events
        <input
          type="number"
          name="approval_rejection_threshold_pct"
          min={0}
          max={100}
          step={1}
          defaultValue={thresholdPct}
          disabled={!editable}
        />
        <FieldError errors={form.errors} name="approval_rejection_threshold_pct" />
      </label>
      {editable ? (
        <button type="submit" disabled={form.pending}>
          Save policy
        </button>
      ) : (
        <p className="muted">Growth and admins set this policy.</p>
      )}
    </form>
  );
}
