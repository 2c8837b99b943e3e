// One error type for the whole app and one translator from any error to an HTTP answer:
// { error: { code, message, issues? } }.
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";

export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  four_eyes: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  validation_required: 409,
  validation_pending: 409,
  payload_too_large: 413,
  unprocessable: 422,
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
  console.error(error);
  return { status: 500, body: { error: { code: "internal", message: "Something went wrong on our side" } } };
}

/** A unique-constraint clash, whether Prisma mapped it (P2002) or the driver adapter raised it raw. */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  const cause = (error as { cause?: { kind?: string; code?: string; originalCode?: string } } | null)?.cause;
  return (
    (error as { name?: string } | null)?.name === "DriverAdapterError" &&
    (cause?.kind === "UniqueConstraintViolation" || cause?.code === "23505" || cause?.originalCode === "23505")
  );
}
