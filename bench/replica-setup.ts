// bench:replicas — the database side: a seeded workspace with a reviewer pair's tokens, a webhook
// destination on the purchase mapping, the backlog, and the queries that check the claims.
import { randomUUID } from "node:crypto";
import type { Actor } from "@/lib/auth/actor";
import { database, db } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { sealSecrets } from "@/lib/delivery/secret-box";
import type { Role } from "@/lib/generated/prisma/enums";
import { seedDemo } from "@/lib/workspace/seed-demo";
import { createToken } from "@/lib/workspace/tokens";

export interface ReplicaWorkspace {
  workspaceId: string;
  writeKey: string;
  adminToken: string;
  analystToken: string;
  growthToken: string;
}

const PURCHASE = "Order Completed";

async function tokenFor(workspaceId: string, role: Role): Promise<string> {
  const email = `${role}-${randomUUID().slice(0, 8)}@replicas.test`;
  const user = await db().user.create({ data: { email, name: role } });
  await db().membership.create({ data: { userId: user.id, workspaceId, role } });
  const actor: Actor = { userId: user.id, email, label: email, workspaceId, role, via: "session" };
  return (await createToken(actor, { name: "bench:replicas" })).token;
}

export async function prepareWorkspace(): Promise<ReplicaWorkspace> {
  await migrate(database());
  const seeded = await seedDemo(database().prisma, { password: "replicas-password-1" });
  const workspace = await db().workspace.findUniqueOrThrow({ where: { slug: "demo" } });
  const writeKey = seeded.writeKeys.find((k) => k.source === "heap")!.key;
  return {
    workspaceId: workspace.id,
    writeKey,
    adminToken: await tokenFor(workspace.id, "admin"),
    analystToken: await tokenFor(workspace.id, "analyst"),
    growthToken: await tokenFor(workspace.id, "growth"),
  };
}

/** A webhook destination to the receiver, switched on for the purchase mapping. */
export async function sendPurchasesTo(ws: ReplicaWorkspace, url: string) {
  const mapping = await db().mapping.findFirstOrThrow({
    where: { workspaceId: ws.workspaceId, sourceEvent: PURCHASE },
  });
  const destination = await db().destination.create({
    data: {
      workspaceId: ws.workspaceId,
      type: "webhook",
      name: "replica receiver",
      enabled: true,
      testMode: false,
      config: { url, max_batch: 100 },
      secretsEncrypted: sealSecrets({ signing_secret: "replica-signing-secret-01" }),
    },
  });
  await db().mappingDestination.create({
    data: { mappingId: mapping.id, destinationId: destination.id, enabled: true },
  });
}

export const purchase = (eventId: string) => ({
  event: PURCHASE,
  event_id: eventId,
  user_id: `u_${eventId}`,
  source: "heap",
  properties: { order_id: `o_${eventId}`, value: 10, currency: "EUR" },
});

/** How many events are stored (not answered as duplicates) with an event_id starting with prefix. */
export async function storedEvents(workspaceId: string, prefix: string): Promise<number> {
  return await db().event.count({ where: { workspaceId, dedupKey: { startsWith: prefix } } });
}

/** Opens the SSE stream, triggers once it is open, and returns ms from trigger to the event_id appearing (null after 10 s). */
export async function watchLive(
  url: string,
  token: string,
  eventId: string,
  trigger: () => Promise<unknown>,
): Promise<number | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let triggeredAt: number | null = null;
    let text = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return null;
      text += decoder.decode(value, { stream: true });
      if (triggeredAt === null) {
        await trigger();
        triggeredAt = Date.now();
      }
      if (text.includes(eventId)) return Date.now() - triggeredAt;
    }
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Sends `count` purchases through the proxy in /api/batch calls of 100; returns their event_ids. */
export async function sendBacklog(proxyUrl: string, writeKey: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `backlog_${i}`);
  for (let i = 0; i < ids.length; i += 100) {
    const batch = ids.slice(i, i + 100).map((id) => ({ type: "capture", ...purchase(id) }));
    const res = await fetch(`${proxyUrl}/api/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${writeKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batch }),
    });
    if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${await res.text()}`);
  }
  return ids;
}

/** Deliveries name their event by row id (Event is partitioned: no relation). */
const deliveriesOf = async (workspaceId: string, ids: string[]) => {
  const events = await db().event.findMany({ where: { workspaceId, dedupKey: { in: ids } }, select: { id: true } });
  return { workspaceId, eventRowId: { in: events.map((e) => e.id) } };
};

/** Polls until every delivery of these events succeeded (or the timeout); how many did, and how long it took. */
export async function untilDelivered(workspaceId: string, ids: string[], timeoutMs: number) {
  const started = Date.now();
  for (;;) {
    const succeeded = await db().delivery.count({
      where: { ...(await deliveriesOf(workspaceId, ids)), status: "succeeded" },
    });
    if (succeeded >= ids.length || Date.now() - started > timeoutMs) return { succeeded, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The most delivery rows any one of these events has (1 = none was recorded twice). */
export async function deliveryRowsPerEvent(workspaceId: string, ids: string[]) {
  const groups = await db().delivery.groupBy({
    by: ["eventRowId"],
    where: await deliveriesOf(workspaceId, ids),
    _count: { _all: true },
  });
  return { max: Math.max(0, ...groups.map((g) => g._count._all)) };
}
