// A profile's computed traits for the profile page and API: current values, their history
// (which value, when, why) and the state of their sync to each Heap destination.
import { db } from "@/lib/db";

const HISTORY_LIMIT = 100;
const SYNC_LIMIT = 20;

export async function profileComputedTraits(workspaceId: string, profileId: string) {
  const [values, history, syncs, pending, input] = await Promise.all([
    db().profileComputedTrait.findMany({ where: { workspaceId, profileId }, orderBy: { key: "asc" } }),
    db().computedTraitChange.findMany({
      where: { workspaceId, profileId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: HISTORY_LIMIT,
    }),
    db().traitSync.findMany({
      where: { workspaceId, profileId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: SYNC_LIMIT,
      include: { destination: { select: { name: true } } },
    }),
    db().computedTraitQueue.findMany({ where: { workspaceId, profileId }, orderBy: { dueAt: "asc" } }),
    db().computedTraitInput.aggregate({ where: { workspaceId, profileId }, _min: { dueAt: true } }),
  ]);
  const inputDue = input._min.dueAt ? [{ kind: "input", dueAt: input._min.dueAt, detail: "" }] : [];
  return {
    values: values.map((v) => ({ key: v.key, value: v.value, since: v.computedAt.toISOString() })),
    /** Scheduled recomputes: new data waiting, a window expiry, a rule change. */
    scheduled: [...inputDue, ...pending]
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .map((p) => ({ kind: p.kind, due_at: p.dueAt.toISOString(), detail: p.detail })),
    history: history.map((h) => ({
      id: h.id,
      key: h.key,
      value: h.value,
      previous: h.previous,
      reason: h.reason,
      at: h.createdAt.toISOString(),
    })),
    heap_syncs: syncs.map((s) => ({
      id: s.id,
      destination: s.destination.name,
      properties: s.properties,
      status: s.status,
      attempts: s.attempts,
      last_error: s.lastError,
      next_attempt_at: s.status === "retrying" || s.status === "pending" ? s.nextAttemptAt.toISOString() : null,
      delivered_at: s.deliveredAt?.toISOString() ?? null,
      queued_at: s.createdAt.toISOString(),
    })),
  };
}
export type ProfileComputedTraitsJson = Awaited<ReturnType<typeof profileComputedTraits>>;
