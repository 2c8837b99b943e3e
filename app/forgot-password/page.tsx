import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "./forgot-form";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <main className="center">
      <div className="panel" style={{ width: "min(380px, calc(100vw - 2rem))" }}>
        <h1>Reset your password</h1>
        <p className="muted">We e-mail you a link to choose a new password.</p>
        <ForgotPasswordForm />
        <p>
          <Link href="/signin">Back to sign in</Link>
        </p>
      </div>
    </main>
  );
}
