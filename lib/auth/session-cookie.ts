// Re-issues the caller's own session cookie after a password change, with the new session version,
// so the person who changed it stays signed in while their other sessions end.

import type { NextResponse } from "next/server";
import { encode, getToken } from "next-auth/jwt";
import { SESSION_MAX_AGE } from "@/lib/auth/options";
import { env } from "@/lib/env";

export async function reissueSession(request: Request, response: NextResponse, sessionVersion: number) {
  const secret = env().NEXTAUTH_SECRET;
  const secure = (env().NEXTAUTH_URL ?? request.url).startsWith("https:");
  const req = request as Parameters<typeof getToken>[0]["req"];
  const token = await getToken({ req, secret, secureCookie: secure });
  if (!token) return;
  const value = await encode({ token: { ...token, sv: sessionVersion }, secret, maxAge: SESSION_MAX_AGE });
  response.cookies.set(`${secure ? "__Secure-" : ""}next-auth.session-token`, value, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
    maxAge: SESSION_MAX_AGE,
  });
}
