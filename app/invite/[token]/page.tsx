import type { Metadata } from "next";
import Link from "next/link";
import { AppError } from "@/lib/errors";
import { describeInvitation } from "@/lib/workspace/invitations";
import { AcceptInvitationForm } from "./accept-form";

export const metadata: Metadata = { title: "Accept invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await describeInvitation(decodeURIComponent(token)).catch((error: unknown) => {
    if (error instanceof AppError) return error.message;
    throw error;
  });
  return (
    <main className="center">
      <div className="panel" style={{ width: "min(420px, calc(100vw - 2rem))" }}>
        {typeof invitation === "string" ? (
          <>
            <h1>Invitation</h1>
            <div className="alert error" role="alert">
              {invitation}
            </div>
            <Link href="/signin">Sign in</Link>
          </>
        ) : (
          <>
            <h1>Join {invitation.workspace}</h1>
            <p className="muted">
              You were invited as <strong>{invitation.role}</strong> ({invitation.email}).
            </p>
            <AcceptInvitationForm
              token={decodeURIComponent(token)}
              email={invitation.email}
              account={invitation.account}
            />
          </>
        )}
      </div>
    </main>
  );
}
