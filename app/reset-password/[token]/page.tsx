import type { Metadata } from "next";
import Link from "next/link";
import { describePasswordReset } from "@/lib/auth/account";
import { AppError } from "@/lib/errors";
import { ResetPasswordForm } from "./reset-form";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const token = decodeURIComponent((await params).token);
  const reset = await describePasswordReset(token).catch((error: unknown) => {
    if (error instanceof AppError) return error.message;
    throw error;
  });
  return (
    <main className="center">
      <div className="panel" style={{ width: "min(380px, calc(100vw - 2rem))" }}>
        <h1>Choose a new password</h1>
        {typeof reset === "string" ? (
          <>
            <div className="alert error" role="alert">
              {reset}
            </div>
            <Link href="/forgot-password">Ask for a new link</Link>
          </>
        ) : (
          <ResetPasswordForm token={token} email={reset.email} />
        )}
      </div>
    </main>
  );
}
