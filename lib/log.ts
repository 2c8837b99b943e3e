// Logging of failures without their data: request bodies and database error texts hold
// personal data (PostgreSQL's messages quote the values they refused), so a log line names
// what failed — a reference, the error's class, its codes and where in our code — never a value.
import { randomUUID } from "node:crypto";
import { errorCodes } from "@/lib/db/error-codes";

/** Stack frames only: the first line of a stack repeats the message, which may quote data. */
const framesOf = (error: unknown) =>
  (error instanceof Error && error.stack ? error.stack.split("\n").slice(1, 6) : []).map((l) => l.trim());

/**
 * Logs an unexpected failure as `[where] ref=… Name code=…` plus stack frames, and returns the
 * reference (answers may quote it so an operator can find the line).
 */
export function logFailure(where: string, error: unknown): string {
  const ref = randomUUID().slice(0, 8);
  const name = error instanceof Error ? error.name : typeof error;
  const codes = errorCodes(error);
  const frames = framesOf(error);
  console.error(
    `[${where}] ref=${ref} ${name}${codes.length ? ` code=${codes.join("/")}` : ""}${frames.length ? `\n    ${frames.join("\n    ")}` : ""}`,
  );
  return ref;
}

const outageLoggedAt = new Map<string, number>();

/**
 * A database outage, logged at most once a minute per place: while it lasts every request fails
 * alike, and each answers 503 with Retry-After. Codes only, like every failure line here.
 */
export function logDatabaseUnavailable(where: string, error: unknown, now = Date.now()): void {
  if (now - (outageLoggedAt.get(where) ?? Number.NEGATIVE_INFINITY) < 60_000) return;
  outageLoggedAt.set(where, now);
  const codes = errorCodes(error);
  console.error(
    `[${where}] database unavailable${codes.length ? ` code=${codes.join("/")}` : ""}; answering 503 until it is back (logged at most once a minute)`,
  );
}
