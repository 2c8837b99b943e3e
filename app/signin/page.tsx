import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUserId } from "@/lib/auth/context";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getSessionUserId()) redirect("/");
  const { callbackUrl } = await searchParams;
  const target = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <main className="center">
      <div className="panel" style={{ width: "min(380px, calc(100vw - 2rem))" }}>
        <h1>Sign in to TrackLayer</h1>
        <SignInForm callbackUrl={target} />
      </div>
    </main>
  );
}
