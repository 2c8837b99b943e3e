"use client";
import { useState } from "react";
import { FieldError, FormAlert } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { passwordChangeSchema } from "@/lib/validations/accounts";

export function ChangePasswordForm() {
  const form = useApiForm<typeof passwordChangeSchema, { tokens_revoked: number }>(
    passwordChangeSchema,
    "POST",
    "/api/account/password",
  );
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const data = new FormData(el);
    setDone(null);
    const saved = await form.submit({
      current_password: String(data.get("current_password") ?? ""),
      new_password: String(data.get("new_password") ?? ""),
      revoke_tokens: data.get("revoke_tokens") === "on",
    });
    if (saved) {
      const revoked = saved.tokens_revoked;
      setDone(
        `Password changed. Your other sessions have ended${revoked ? ` and ${revoked} access token${revoked === 1 ? " was" : "s were"} revoked` : ""}.`,
      );
      el.reset();
    }
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={form.error} success={done} />
      <label>
        Current password
        <input name="current_password" type="password" autoComplete="current-password" />
        <FieldError errors={form.errors} name="current_password" />
      </label>
      <label>
        New password (at least 10 characters)
        <input name="new_password" type="password" autoComplete="new-password" />
        <FieldError errors={form.errors} name="new_password" />
      </label>
      <label className="inline">
        <input name="revoke_tokens" type="checkbox" />
        Also revoke my personal access tokens (scripts using them stop working)
      </label>
      <button className="primary" type="submit" disabled={form.pending}>
        Change password
      </button>
    </form>
  );
}
