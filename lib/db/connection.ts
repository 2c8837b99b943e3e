// One database handle per process: Prisma plus a raw SQL executor over the same connection.
// DATABASE_URL unset or a path → embedded PGlite (single process); postgres://… → PostgreSQL.
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { errorCodes, sqlState } from "@/lib/db/error-codes";
import { databaseLocation } from "@/lib/env";
import { CommitUnknownError } from "@/lib/errors";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type DbMode = "embedded" | "postgres";

export interface RawSql {
  /** Runs one or more statements with the simple protocol (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs one statement. A `name` (for a constant SQL text on a hot path) has PostgreSQL parse it
   * once per connection and reuse its plan (refreshed every 10 s, see dropPlansEvery); the
   * embedded database ignores it.
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], name?: string): Promise<T[]>;
}

export interface DbHandle {
  mode: DbMode;
  prisma: AppPrisma;
  raw: RawSql;
  /** Runs fn on one dedicated connection (session-level locks, multi-step scripts). */
  session<T>(fn: (raw: RawSql) => Promise<T>): Promise<T>;
  /** Runs fn inside BEGIN … COMMIT on one connection (ROLLBACK if it throws). The hot
   *  ingest path uses this rather than Prisma: a raw statement costs a third as much. */
  transaction<T>(fn: (raw: RawSql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Failures before anything reached the server: nothing was sent, so nothing was stored. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * For a failed COMMIT (or a single statement that commits on its own): one PostgreSQL answered
 * with an error (serialization failure, a constraint) rolled back, and is returned as is. One that
 * got no answer — the connection dropped (no SQLSTATE, or class 08 / 57P) — may have been
 * applied: a CommitUnknownError.
 */
export function commitFailure(error: unknown): unknown {
  if (errorCodes(error).some((code) => NEVER_SENT.has(code))) return error;
  const state = sqlState(error);
  const answered = state !== undefined && !/^(08|57P)/.test(state);
  return answered ? error : new CommitUnknownError(error);
}

export function resolveDatabase(url = databaseLocation().url, dataDir = databaseLocation().dataDir) {
  if (url && /^postgres(ql)?:\/\//i.test(url)) return { mode: "postgres" as const, url };
  const dir = url?.trim() ? url.replace(/^file:/, "") : path.join(dataDir, "pglite");
  return { mode: "embedded" as const, dir: dir === ":memory:" ? undefined : path.resolve(dir) };
}

function createPrisma(adapter: PrismaPGlite | PrismaPg) {
  return new PrismaClient({
    adapter,
    // Secrets are opt-in: no query returns them unless it asks explicitly.
    omit: {
      user: { passwordHash: true },
      destination: { secretsEncrypted: true },
      alertChannel: { secretsEncrypted: true },
      // Aggregator positions (bigint): internal, never part of an answer.
      event: { seq: true },
      deliveryAttempt: { seq: true },
    },
  });
}

export type AppPrisma = ReturnType<typeof createPrisma>;

/**
 * Named statements are parsed once per connection and, after a few runs, keep a generic plan:
 * planning the big ingest statements on every run cost about as much as running them. A plan
 * fits the tables as they were when it was made, so each connection drops its plans (DISCARD
 * PLANS keeps the statements) when it is checked out `ttlMs` after it last did: a plan cached
 * while a new install's tables were small does not keep scanning them whole as they grow.
 */
function dropPlansEvery(pool: pg.Pool, ttlMs: number) {
  const plannedAt = new WeakMap<pg.PoolClient, number>();
  pool.on("acquire", (client) => {
    const now = Date.now();
    const at = plannedAt.get(client);
    if (at === undefined) plannedAt.set(client, now);
    else if (now - at >= ttlMs) {
      plannedAt.set(client, now);
      // Queued ahead of the query this checkout is for.
      client.query("DISCARD PLANS").catch(() => undefined);
    }
  });
}

function ignoreConnectionError() {}

export function openDatabase(target = resolveDatabase(), { planTtlMs = 10_000 } = {}): DbHandle {
  if (target.mode === "postgres") {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    dropPlansEvery(pool, planTtlMs);
    // A connection that drops (server restart, failover, pg_terminate_backend) emits 'error'; with no
    // listener that is an uncaught exception that kills the process. The pool listens only while a
    // client is idle in it, so every client gets its own listener for as long as it lives, checked
    // out or not. Nothing to do there: a broken client's next query rejects (its caller decides),
    // and the pool replaces it.
    pool.on("connect", (client) => client.on("error", ignoreConnectionError));
    pool.on("error", ignoreConnectionError);
    const prisma = createPrisma(new PrismaPg(pool));
    const over = (client: pg.Pool | pg.PoolClient): RawSql => ({
      exec: async (sql) => void (await client.query(sql)),
      query: async (sql, params, name) =>
        (await client.query(name ? { name, text: sql, values: params } : { text: sql, values: params })).rows,
    });
    return {
      mode: "postgres",
      prisma,
      raw: over(pool),
      session: async (fn) => {
        const client = await pool.connect();
        try {
          return await fn(over(client));
        } finally {
          client.release();
        }
      },
      transaction: async (fn) => {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const result = await fn(over(client));
          await client.query("COMMIT").catch((error: unknown) => {
            throw commitFailure(error);
          });
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      },
      close: async () => {
        await prisma.$disconnect();
        await pool.end().catch(() => undefined);
      },
    };
  }
  const pglite = new PGlite(target.dir);
  const prisma = createPrisma(new PrismaPGlite(pglite));
  const raw: RawSql = {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
  };
  return {
    mode: "embedded",
    prisma,
    raw,
    session: (fn) => fn(raw),
    transaction: (fn) =>
      pglite.transaction((tx) =>
        fn({
          exec: async (sql) => void (await tx.exec(sql)),
          query: async <T>(sql: string, params?: unknown[]) => (await tx.query<T>(sql, params)).rows,
        }),
      ),
    close: async () => {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}
