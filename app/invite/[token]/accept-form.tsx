"use client";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { callApi, fieldErrors, INLINE } from "@/components/ui/api-client";
import { FieldError, FormAlert } from "@/components/ui/form-bits";

interface Props {
  token: string;
  email: string;
  account: "new" | "password" | "oauth";
}

/** Newcomers choose their password; people with an account confirm theirs (or just join, for OAuth). */
export function AcceptInvitationForm({ token, email, account }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    const name = String(form.get("name") ?? "").trim();
    setPending(true);
    setError(null);
    const result = await callApi(
      "POST",
      "/api/invitations/accept",
      {
        token,
        ...(account === "oauth" ? {} : { password }),
        ...(name ? { name } : {}),
      },
      INLINE,
    );
    if (!result.ok) {
      setPending(false);
      setErrors(fieldErrors(result.error.issues));
      setError(result.error.message);
      return;
    }
    if (account === "oauth") {
      router.push("/signin");
      return;
    }
    const signedIn = await signIn("credentials", { email, password, redirect: false });
    router.push(signedIn?.ok ? "/mappings" : "/signin");
    router.refresh();
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={error} />
      {account === "new" ? (
        <label>
          Your name
          <input name="name" autoComplete="name" />
        </label>
      ) : null}
      {account === "oauth" ? (
        <p className="muted">You sign in with GitHub or Google; accept, then sign in as usual.</p>
      ) : (
        <label>
          {account === "new" ? "Choose a password (at least 10 characters)" : "Your current TrackLayer password"}
          <input
            name="password"
            type="password"
            autoComplete={account === "new" ? "new-password" : "current-password"}
          />
          <FieldError errors={errors} name="password" />
        </label>
      )}
      <button className="primary" type="submit" disabled={pending}>
        {pending ? "Joining…" : "Accept invitation"}
      </button>
    </form>
  );
}
