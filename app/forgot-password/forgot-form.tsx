"use client";
import { useState } from "react";
import { callApi, INLINE } from "@/components/ui/api-client";
import { FormAlert } from "@/components/ui/form-bits";

export function ForgotPasswordForm() {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    setPending(true);
    const result = await callApi<{ message: string }>("POST", "/api/password-resets", { email }, INLINE);
    setPending(false);
    setError(result.ok ? null : result.error.message);
    setDone(result.ok ? result.data.message : null);
  }
  return (
    <form className="form" onSubmit={onSubmit}>
      <FormAlert error={error} success={done} />
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <button className="primary" type="submit" disabled={pending}>
        Send reset link
      </button>
    </form>
  );
}
