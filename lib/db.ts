// The process-wide database handle, opened lazily (never at import time: `next build`
// imports route modules) and kept on globalThis so dev reloads reuse it.
import { type AppPrisma, type DbHandle, openDatabase } from "@/lib/db/connection";

const holder = globalThis as unknown as { __tracklayerDb?: DbHandle };

export function database() {
  holder.__tracklayerDb ??= openDatabase();
  return holder.__tracklayerDb;
}

/** The Prisma client for the configured database. */
export function db(): AppPrisma {
  return database().prisma;
}

export async function closeDatabase() {
  const handle = holder.__tracklayerDb;
  holder.__tracklayerDb = undefined;
  await handle?.close();
}

export type { AppPrisma };
