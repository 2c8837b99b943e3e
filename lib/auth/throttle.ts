// Throttles kept in the database (rate-limiter-flexible's Prisma store, table RateLimit), so every
// server process and replica counts together, on PostgreSQL and on the embedded database alike.
// Keys are SHA-256 hashes of the subject (an e-mail, an address): the table holds no personal data.
import { createHash } from "node:crypto";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { type AppPrisma, db } from "@/lib/db";
import { AppError } from "@/lib/errors";

export interface Limit {
  /** Names the counter (key prefix); one name, one rule. */
  name: string;
  points: number;
  seconds: number;
  /** The message of the 429. */
  message: string;
}

const limiters = new WeakMap<AppPrisma, Map<string, RateLimiterPrisma>>();

function limiter(limit: Limit): RateLimiterPrisma {
  const prisma = db();
  const byName = limiters.get(prisma) ?? new Map<string, RateLimiterPrisma>();
  limiters.set(prisma, byName);
  const id = `${limit.name}:${limit.points}:${limit.seconds}`;
  let found = byName.get(id);
  if (!found) {
    found = new RateLimiterPrisma({
      storeClient: prisma,
      tableName: "rateLimit",
      keyPrefix: limit.name,
      points: limit.points,
      duration: limit.seconds,
    });
    byName.set(id, found);
  }
  return found;
}

const keyOf = (subject: string) => createHash("sha256").update(subject).digest("hex");

export class ThrottledError extends AppError {
  constructor(message: string, retryAfter: number) {
    super("too_many_requests", message, undefined, retryAfter);
  }
}

/** Counts one attempt; throws a 429 ThrottledError (with Retry-After) once the limit is spent. */
export async function consume(limit: Limit, subject: string): Promise<void> {
  try {
    await limiter(limit).consume(keyOf(subject));
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      throw new ThrottledError(limit.message, Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    }
    throw error;
  }
}

/** Gives an attempt back (e.g. after a successful sign-in). */
export async function refund(limit: Limit, subject: string): Promise<void> {
  await limiter(limit).reward(keyOf(subject), 1);
}

/** Starts the subject's count afresh. */
export async function reset(limit: Limit, subject: string): Promise<void> {
  await limiter(limit).delete(keyOf(subject));
}
