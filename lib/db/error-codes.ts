// The one reader of error codes: Node socket codes (ECONNREFUSED…), PostgreSQL SQLSTATEs and
// Prisma's P-codes, wherever the layer that raised the error put them — pg and PGlite set `code`,
// Prisma's driver adapters wrap it as `cause.originalCode`, Prisma's known errors carry it in
// `meta.driverAdapterError`, and a failed connect may be an AggregateError of several attempts.

type Coded = {
  code?: unknown;
  originalCode?: unknown;
  cause?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: unknown };
};

/** Every code found on the error and what it wraps, outermost first, without repeats. */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (!value || typeof value !== "object" || depth > 5) return;
    const e = value as Coded;
    for (const code of [e.code, e.originalCode]) {
      if (typeof code === "string" && !codes.includes(code)) codes.push(code);
    }
    if (Array.isArray(e.errors)) for (const inner of e.errors) visit(inner, depth + 1);
    visit(e.meta?.driverAdapterError, depth + 1);
    visit(e.cause, depth + 1);
  };
  visit(error, 0);
  return codes;
}

/** Prisma's own codes (P1000–P6999) look like SQLSTATEs; PostgreSQL's P-class is only P0xxx. */
const isSqlState = (code: string) => /^[0-9A-Z]{5}$/.test(code) && !/^P[1-9]\d{3}$/.test(code);

/** The SQLSTATE PostgreSQL answered with, whichever layer raised the error; undefined when none did. */
export function sqlState(error: unknown): string | undefined {
  return errorCodes(error).find(isSqlState);
}
