// next-auth configuration: email + password (argon2) always; GitHub / Google when configured.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { z } from "zod";
import { authenticate } from "@/lib/auth/credentials";
import { sessionJwt } from "@/lib/auth/session-version";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

export const SESSION_MAX_AGE = 60 * 60 * 12;

const credentialsSchema = z.object({ email: z.email().transform((e) => e.toLowerCase()), password: z.string().min(1) });

function oauthProviders() {
  const e = env();
  return [
    ...(e.GITHUB_ID && e.GITHUB_SECRET
      ? [GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET })]
      : []),
    ...(e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET
      ? [GoogleProvider({ clientId: e.GOOGLE_CLIENT_ID, clientSecret: e.GOOGLE_CLIENT_SECRET })]
      : []),
  ];
}

export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          return authenticate(parsed.data.email, parsed.data.password);
        },
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      // OAuth sign-in is for people an admin already added (matched by verified email).
      async signIn({ user, account }) {
        if (!account || account.type === "credentials") return true;
        if (!user.email) return false;
        return Boolean(await db().user.findUnique({ where: { email: user.email.toLowerCase() } }));
      },
      jwt: sessionJwt,
      async session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
}
