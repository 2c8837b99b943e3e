"use client";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { callApi, fieldErrors, INLINE } from "@/components/ui/api-client";
import { FieldError, FormAlert } from "@/components/ui/form-bits";

export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setPending(true);
    const result = await callApi("POST", "/api/password-resets/complete", { token, password }, INLINE);
    if (!result.ok) {
      setPending(false);
      setErrors(fieldErrors(result.error.issues));
      setError(result.error.message);
      return;
    }
    const signedIn = await signIn("credentials", { email, password, redirect: false });
    router.push(signedIn?.ok ? "/mappings" : "/signin");
    router.refresh();
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={error} />
      <p className="muted">For {email}. Every signed-in session of this account ends.</p>
      <label>
        New password (at least 10 characters)
        <input name="password" type="password" autoComplete="new-password" />
        <FieldError errors={errors} name="password" />
      </label>
      <button className="primary" type="submit" disabled={pending}>
        Set password
      </button>
    </form>
  );
}
