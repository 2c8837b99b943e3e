// Email + password sign-in: one argon2 verification on every attempt, whether or not the account
// exists or has a password, so the answer's timing does not reveal which e-mails have accounts.
import { dummyPasswordHash, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

export async function authenticate(
  email: string,
  password: string,
  verify: typeof verifyPassword = verifyPassword,
): Promise<SignedInUser | null> {
  const user = await db().user.findUnique({ where: { email }, omit: { passwordHash: false } });
  if (!user?.passwordHash) {
    await verify(await dummyPasswordHash(), password);
    return null;
  }
  if (!(await verify(user.passwordHash, password))) return null;
  return { id: user.id, email: user.email, name: user.name };
}
