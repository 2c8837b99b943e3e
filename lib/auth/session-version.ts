// next-auth's jwt callback: the session token remembers the account's session version. A password
// change or reset bumps it, and older tokens stop naming a user (signed out at their next request).
import type { JWT } from "next-auth/jwt";
import { db } from "@/lib/db";

export async function sessionJwt({ token, user }: { token: JWT; user?: { email?: string | null } }): Promise<JWT> {
  if (user?.email) {
    const known = await db().user.findUnique({ where: { email: user.email.toLowerCase() } });
    if (known) {
      token.sub = known.id;
      token.sv = known.sessionVersion;
    }
    return token;
  }
  if (!token.sub) return token;
  const current = await db().user.findUnique({ where: { id: token.sub }, select: { sessionVersion: true } });
  if (!current || current.sessionVersion !== (token.sv ?? 0)) return { ended: true };
  return token;
}
