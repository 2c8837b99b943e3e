"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormAlert, SecretOnce, TextField } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { tokenCreateSchema } from "@/lib/validations/workspace";

export function NewTokenForm() {
  const form = useApiForm<typeof tokenCreateSchema, { token: string }>(tokenCreateSchema, "POST", "/api/tokens");
  const [created, setCreated] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const days = String(data.get("expires_in_days") ?? "");
    const saved = await form.submit({
      name: String(data.get("name") ?? ""),
      ...(days ? { expires_in_days: Number(days) } : {}),
    });
    if (saved) setCreated(saved.token);
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={form.error} />
      <SecretOnce what="token" value={created} />
      <TextField label="Name" name="name" placeholder="CI pipeline" errors={form.errors} />
      <TextField
        label="Expires in (days, empty for never)"
        name="expires_in_days"
        type="number"
        min={1}
        max={366}
        errors={form.errors}
      />
      <button className="primary" type="submit" disabled={form.pending}>
        Create token
      </button>
    </form>
  );
}

export function RevokeTokenButton({ id }: { id: string }) {
  const router = useRouter();
  return (
    <ConfirmButton
      title="Revoke this token?"
      description="Scripts and CI jobs using it get 401 from now on. This cannot be undone."
      confirm="Revoke"
      onConfirm={async () => {
        await callApi("DELETE", `/api/tokens/${id}`);
        router.refresh();
      }}
    >
      Revoke
    </ConfirmButton>
  );
}
