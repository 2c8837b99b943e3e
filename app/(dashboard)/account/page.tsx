import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/page";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const actor = await requirePageActor();
  return (
    <>
      <h1>Your account</h1>
      <div className="panel">
        <p>
          Signed in as <strong>{actor.email}</strong>.
        </p>
        <h2>Change password</h2>
        <p className="muted">Your other signed-in sessions end; this one stays.</p>
        <ChangePasswordForm />
      </div>
    </>
  );
}
