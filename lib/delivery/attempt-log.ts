// The delivery log read apart from its outbox rows: attempts and exchanges live in day partitions
// without foreign keys (schema.prisma, HttpExchange), so they are loaded by key, not through a Prisma
// relation. An attempt's exchange has the attempt's createdAt, so each lookup reads one day's partition;
// an exchange that is gone (its destination deleted) reads as none.
import { db } from "@/lib/db";
import type { DeliveryAttempt, HttpExchange, TraitSyncAttempt } from "@/lib/generated/prisma/client";

export type WithExchange<A> = A & { exchange: HttpExchange | null };

/** The exchanges that carried some attempts, by (id, createdAt). */
export async function withExchanges<A extends { exchangeId: string | null; createdAt: Date }>(
  attempts: A[],
  client = db(),
): Promise<WithExchange<A>[]> {
  const sent = attempts.filter((a) => a.exchangeId !== null);
  const exchanges = sent.length
    ? await client.httpExchange.findMany({
        where: {
          id: { in: [...new Set(sent.map((a) => a.exchangeId!))] },
          createdAt: { in: [...new Set(sent.map((a) => a.createdAt.getTime()))].map((t) => new Date(t)) },
        },
      })
    : [];
  const byKey = new Map(exchanges.map((x) => [`${x.id}@${x.createdAt.getTime()}`, x]));
  return attempts.map((a) => ({
    ...a,
    exchange: a.exchangeId ? (byKey.get(`${a.exchangeId}@${a.createdAt.getTime()}`) ?? null) : null,
  }));
}

const grouped = <A, K extends keyof A>(rows: A[], key: K) => {
  const map = new Map<A[K], A[]>();
  for (const row of rows) {
    const list = map.get(row[key]);
    if (list) list.push(row);
    else map.set(row[key], [row]);
  }
  return map;
};

/**
 * The log days an outbox row's attempts can be in: none is older than the row (a day's margin for
 * clocks that differ between the process that queued it and the worker), so the lookup reads the days
 * since, not every day partition's index.
 */
const since = (rows: { createdAt: Date }[]) =>
  new Date(Math.min(...rows.map((r) => r.createdAt.getTime())) - 86_400_000);

/** Outbox rows with their attempts, oldest first, each with its exchange. */
export async function withDeliveryLog<D extends { id: string; createdAt: Date }>(
  rows: D[],
  client = db(),
): Promise<(D & { log: WithExchange<DeliveryAttempt>[] })[]> {
  const attempts = rows.length
    ? await client.deliveryAttempt.findMany({
        where: { deliveryId: { in: rows.map((r) => r.id) }, createdAt: { gte: since(rows) } },
        orderBy: [{ attempt: "asc" }, { createdAt: "asc" }],
      })
    : [];
  const byDelivery = grouped(await withExchanges(attempts, client), "deliveryId");
  return rows.map((r) => ({ ...r, log: byDelivery.get(r.id) ?? [] }));
}

/** Trait syncs (Heap) with their attempts, oldest first, each with its exchange. */
export async function withTraitSyncLog<S extends { id: string; createdAt: Date }>(
  rows: S[],
): Promise<(S & { log: WithExchange<TraitSyncAttempt>[] })[]> {
  const attempts = rows.length
    ? await db().traitSyncAttempt.findMany({
        where: { syncId: { in: rows.map((r) => r.id) }, createdAt: { gte: since(rows) } },
        orderBy: [{ attempt: "asc" }, { createdAt: "asc" }],
      })
    : [];
  const bySync = grouped(await withExchanges(attempts), "syncId");
  return rows.map((r) => ({ ...r, log: bySync.get(r.id) ?? [] }));
}
