"use client";
import { useState } from "react";
import { FormAlert, TextField } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { workspaceUpdateSchema } from "@/lib/validations/workspace";

export function WorkspaceSettingsForm({
  workspace,
  editable,
}: {
  workspace: { name: string; require_four_eyes: boolean; unhashed_pii_policy: string };
  editable: boolean;
}) {
  const form = useApiForm(workspaceUpdateSchema, "PATCH", "/api/workspace");
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    if (
      await form.submit({
        name: String(data.get("name") ?? ""),
        require_four_eyes: data.get("require_four_eyes") === "on",
        unhashed_pii_policy: data.get("unhashed_pii_policy") === "hash" ? "hash" : "block",
      })
    )
      setDone("Saved.");
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={form.error} success={done} />
      <TextField label="Name" name="name" defaultValue={workspace.name} disabled={!editable} errors={form.errors} />
      <label className="inline">
        <input
          type="checkbox"
          name="require_four_eyes"
          defaultChecked={workspace.require_four_eyes}
          disabled={!editable}
        />
        Four-eyes approval: the person who submitted a revision cannot approve it
      </label>
      <label>
        A raw e-mail or phone number in a property a destination forwards unhashed (webhook, GA4, HubSpot)
        <select name="unhashed_pii_policy" defaultValue={workspace.unhashed_pii_policy} disabled={!editable}>
          <option value="block">Block: reject the event as a violation naming the field</option>
          <option value="hash">Hash: send its normalised SHA-256 instead</option>
        </select>
      </label>
      {editable ? (
        <button className="primary" type="submit" disabled={form.pending}>
          Save settings
        </button>
      ) : (
        <p className="muted">Only admins change workspace settings.</p>
      )}
    </form>
  );
}
