// One error type for the whole app and one translator from any error to an HTTP answer:
// { error: { code, message, issues? } }.
import { z } from "zod";
import { sqlState } from "@/lib/db/error-codes";
import { isDatabaseUnavailable } from "@/lib/db/outage";
import { Prisma } from "@/lib/generated/prisma/client";
import { logDatabaseUnavailable, logFailure } from "@/lib/log";

export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_character: 400,
  invalid_encoding: 400,
  unauthenticated: 401,
  forbidden: 403,
  cross_site_request: 403,
  test_key_not_allowed: 403,
  four_eyes: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  validation_required: 409,
  validation_pending: 409,
  confirmation_required: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  secrets_required: 422,
  too_many_requests: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
    /** Seconds until trying again makes sense (sent as Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/**
 * The connection was lost after COMMIT was sent: the transaction may or may not have been stored.
 * Ingest answers it with its own code, so clients know a retry with the same event_id is safe
 * (a stored event answers "duplicate") rather than being told it was not stored.
 */
export class CommitUnknownError extends Error {
  readonly code = "commit_unknown";
  constructor(cause: unknown) {
    super("The connection to the database was lost after COMMIT was sent; the outcome is unknown", { cause });
    this.name = "CommitUnknownError";
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((i): FieldIssue[] => {
    const path = i.path.map(String);
    // One issue per unknown key, with the key in its path, so clients can point at it.
    if (i.code === "unrecognized_keys") {
      return i.keys.map((key) => ({ path: [...path, key].join("."), message: "is not a known field", code: i.code }));
    }
    return [{ path: path.join("."), message: i.message, code: i.code }];
  });
}

/** Parses input with a schema, throwing a 400 AppError with field paths on failure. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = "request body"): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError("invalid_request", `Invalid ${what}`, zodIssues(result.error));
  }
  return result.data;
}

export function toErrorBody(error: unknown): {
  status: number;
  body: { error: { code: string; message: string; issues?: FieldIssue[] } };
  retryAfter?: number;
} {
  if (error instanceof AppError) {
    return {
      status: error.status,
      retryAfter: error.retryAfter,
      body: { error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } },
    };
  }
  if (error instanceof z.ZodError) {
    return {
      status: 400,
      body: { error: { code: "invalid_request", message: "Invalid request", issues: zodIssues(error) } },
    };
  }
  if (isUniqueViolation(error)) {
    return { status: 409, body: { error: { code: "conflict", message: "A record with these values already exists" } } };
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2025") {
      return { status: 404, body: { error: { code: "not_found", message: "Record not found" } } };
    }
  }
  if (error instanceof CommitUnknownError) {
    logFailure("api", error);
    return {
      status: 503,
      body: {
        error: { code: "commit_unknown", message: "The change may not have been saved: check before repeating it" },
      },
    };
  }
  const refused = dataErrorBody(sqlState(error));
  if (refused) return refused;
  if (isDatabaseUnavailable(error)) {
    // A restart or failover: nothing was changed, and the same request will work once it is back.
    logDatabaseUnavailable("api", error);
    return {
      status: 503,
      retryAfter: 5,
      body: {
        error: { code: "database_unavailable", message: "The database is unavailable for a moment; try again shortly" },
      },
    };
  }
  logFailure("api", error);
  return { status: 500, body: { error: { code: "internal", message: "Something went wrong on our side" } } };
}

/** A unique-constraint clash, whether Prisma mapped it (P2002) or the driver adapter raised it raw. */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return true;
  const cause = (error as { cause?: { kind?: string } } | null)?.cause;
  return cause?.kind === "UniqueConstraintViolation" || sqlState(error) === "23505";
}

const data = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });

/**
 * Errors PostgreSQL raises because of the data sent (SQLSTATE classes 22, 23 and 54) can never
 * succeed on a retry: they are the client's to fix, so they answer 4xx, never a retryable 5xx.
 */
function dataErrorBody(state: string | undefined) {
  if (!state) return undefined;
  if (state === "22P05" || state === "22021")
    return data(400, "invalid_character", "A value contains a character that cannot be stored (such as \\u0000)");
  if (state.startsWith("22")) return data(400, "invalid_request", "A value is malformed or out of range");
  if (state === "23503")
    return data(409, "conflict", "The request refers to a record that does not exist or is in use");
  if (state.startsWith("23")) return data(422, "unprocessable", "The request breaks a rule of the stored data");
  if (state.startsWith("54")) return data(413, "payload_too_large", "A value is too large to store");
  return undefined;
}
