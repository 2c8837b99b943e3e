// What to tell an operator when the database cannot be opened at start: name the variable and
// the database, and say what to check — not a bare `connect ECONNREFUSED 127.0.0.1:5432`.
import { resolveDatabase } from "@/lib/db/connection";
import { isDatabaseUnavailable, unavailableReason } from "@/lib/db/outage";

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Where DATABASE_URL points, without its password. */
function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.username ? `${parsed.username}@` : ""}${parsed.host}${parsed.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}

/** One readable paragraph for a database error at start, or the error's own message for anything else. */
export function describeStartupError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const target = resolveDatabase();
  if (target.mode !== "postgres") return message;
  const where = `the PostgreSQL database in DATABASE_URL (${describeTarget(target.url)})`;
  const code = codeOf(error);
  if (code === "3D000")
    return `${where} does not exist: create it (createdb) or point DATABASE_URL at an existing database.`;
  if (code === "28P01" || code === "28000")
    return `${where} refused the credentials: check the user name and password in DATABASE_URL.`;
  if (isDatabaseUnavailable(error))
    return [
      `Cannot reach ${where}: ${unavailableReason(error)}.`,
      "  Check that PostgreSQL is running and accepts TCP connections at that host and port,",
      "  or unset DATABASE_URL to use the embedded database.",
    ].join("\n");
  return message;
}
