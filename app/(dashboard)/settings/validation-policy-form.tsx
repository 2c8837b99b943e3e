"use client";
// Growth's switch: approval requires a passed end-to-end validation of the revision.
import { useState } from "react";
import { FormAlert } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { workspaceUpdateSchema } from "@/lib/validations/workspace";

export function ValidationPolicyForm({ required, editable }: { required: boolean; editable: boolean }) {
  const form = useApiForm(workspaceUpdateSchema, "PATCH", "/api/workspace");
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    if (await form.submit({ require_validation: data.get("require_validation") === "on" })) setDone("Saved.");
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Validation policy">
      <FormAlert error={form.error} success={done} />
      <label className="inline">
        <input type="checkbox" name="require_validation" defaultChecked={required} disabled={!editable} />
        Require a passed end-to-end validation (four green checks) of a revision before it can be approved
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
