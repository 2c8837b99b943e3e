// next-auth: sign-in, sign-out, session and CSRF endpoints. Credentials sign-in is throttled per
// account and per client address (lib/auth/sign-in-throttle.ts).
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { throttleSignIn } from "@/lib/auth/sign-in-throttle";

const handler = throttleSignIn((request: Request, context: { params: Promise<{ nextauth: string[] }> }) =>
  NextAuth(authOptions())(request, context),
);

export const GET = handler;
export const POST = handler;
