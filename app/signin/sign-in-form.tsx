"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { FormAlert } from "@/components/ui/form-bits";

/** next-auth's error for a refused sign-in, in words (see lib/auth/sign-in-throttle.ts). */
function signInError(error: string | null | undefined): string {
  const throttled = /^TooManyAttempts:(\d+)$/.exec(error ?? "");
  if (!throttled) return "Wrong email or password.";
  const minutes = Math.ceil(Number(throttled[1]) / 60);
  return `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setPending(false);
    if (!result || result.error) {
      setError(signInError(result?.error));
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  return (
    <form className="form" onSubmit={onSubmit}>
      <FormAlert error={error} />
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button className="primary" type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      <Link href="/forgot-password">Forgot password?</Link>
    </form>
  );
}
