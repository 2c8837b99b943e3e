// Database outages: which errors mean "the database is unreachable right now" (restart, failover,
// network), and a tracker that turns an outage into one line when it starts and one when it ends,
// with an exponential backoff in between — not a stack trace per attempt.
import { errorCodes } from "@/lib/db/error-codes";

/** Node socket errors and PostgreSQL SQLSTATEs that mean the connection, not the statement, failed. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "57P01", // admin_shutdown: terminating connection due to administrator command
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: the database system is starting up / shutting down
  "53300", // too_many_connections
]);

const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /terminating connection/i,
  /connection (is )?(closed|ended)/i,
  /Client has encountered a connection error/i,
  /timeout exceeded when trying to connect/i,
  /Can't reach database server/i,
];

function messagesOf(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== "object" || depth > 5) return [];
  const e = error as { message?: unknown; cause?: unknown };
  return [...(typeof e.message === "string" ? [e.message] : []), ...messagesOf(e.cause, depth + 1)];
}

/** True when the error says the database cannot be reached (retrying later will do), not that a statement was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const codes = errorCodes(error);
  if (codes.some((code) => UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
  return messagesOf(error).some((message) => UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)));
}

/** A short reason for the one line an outage logs: the code and the first line of the message, never a stack. */
export function unavailableReason(error: unknown): string {
  const code = errorCodes(error)[0];
  const message = messagesOf(error)[0]?.split("\n")[0] ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

export interface OutageTracker {
  /** Records a failure; returns how long to wait before trying again. */
  failed(error: unknown): number;
  /** Records a success: ends the outage (and says so) if one was running. */
  succeeded(): void;
  readonly down: boolean;
}

/**
 * One line when the database becomes unreachable, one when it is back; in between a backoff of
 * minMs doubling up to maxMs. `what` names the process in the lines ("delivery worker …").
 */
export function trackOutages(
  what: string,
  { minMs = 500, maxMs = 30_000, log = console.error, now = Date.now } = {},
): OutageTracker {
  let since: number | null = null;
  let failures = 0;
  return {
    get down() {
      return since !== null;
    },
    failed(error) {
      if (since === null) {
        since = now();
        log(
          `[${what}] database unavailable (${unavailableReason(error)}); check DATABASE_URL and that PostgreSQL is running. Retrying with backoff up to ${maxMs / 1000} s`,
        );
      }
      failures += 1;
      return Math.min(maxMs, minMs * 2 ** Math.min(failures - 1, 16));
    },
    succeeded() {
      if (since === null) return;
      log(`[${what}] database reachable again after ${Math.round((now() - since) / 1000)} s`);
      since = null;
      failures = 0;
    },
  };
}
