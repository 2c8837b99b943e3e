// Remembers on the destination that its OAuth token endpoint refused a refresh (4xx: a revoked or
// wrong refresh token), with the answer: the "OAuth refresh refused" alert rule reads it.
import { db } from "@/lib/db";
import { TokenError } from "@/lib/delivery/oauth";

export async function recordTokenRefusal(destinationId: string, error: unknown, at: Date): Promise<void> {
  if (!(error instanceof TokenError) || !error.refused) return;
  await db().destination.updateMany({
    where: { id: destinationId },
    data: { tokenRefusedAt: at, tokenRefusal: error.message.slice(0, 500) },
  });
}
