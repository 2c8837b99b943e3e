// POST /api/registry/apply: makes the workspace match a bundle the way a person would in the
// dashboard — canonical events created or edited, mappings drafted (a new draft revision when one
// is live) and submitted for review with the bundle's reference in the revision note. It never
// approves: reviewers approve on the target as for any other revision, and four-eyes holds.
// Removals (a canonical event gone, a mapping to deprecate) are reported, not applied: deprecating
// is a reviewer's decision. What the plan says is unchanged is not touched, so applying the same
// bundle twice writes nothing the second time.
import { type Actor, assertCan } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { invalidateRegistry } from "@/lib/ingest/registry-snapshot";
import { recordAudit } from "@/lib/registry/audit";
import { createCanonicalEvent, updateCanonicalEvent } from "@/lib/registry/canonical-events";
import { createMapping } from "@/lib/registry/mappings/create-mapping";
import { transitionMapping } from "@/lib/registry/mappings/transition-mapping";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { type CanonicalEventDocument, fromJsonSchema } from "@/lib/registry/plan/json-schema";
import { assertCanPlan, type PlannedChange, planRegistry } from "@/lib/registry/plan/plan";
import { canonicalEventCreateSchema } from "@/lib/validations/canonical-events";
import type { DestinationToggle } from "@/lib/validations/mappings";
import type { RegistryApplyInput } from "@/lib/validations/registry-apply";
import type { BundleMapping } from "@/lib/validations/registry-bundle";

export interface AppliedChange {
  kind: PlannedChange["kind"];
  key: string;
  action: PlannedChange["action"];
  breaking: boolean;
  /** What was done: created, edited, drafted and submitted, destinations set; or why not. */
  outcome: "created" | "edited" | "submitted" | "destinations" | "skipped";
  mapping_id?: string;
  reason?: string;
}

const CONTENT_FIELDS = new Set(["canonical_event", "required_properties", "property_renames"]);

/** Every permission the planned changes need, checked before anything is written. */
function assertCanApply(actor: Actor, changes: PlannedChange[]) {
  const needed = new Set<Permission>();
  for (const c of changes) {
    if (c.kind === "canonical_event" && c.action !== "removed") needed.add("canonicalEvent.manage");
    if (c.kind !== "mapping" || c.action === "deprecated") continue;
    const fields = c.action === "added" ? [...CONTENT_FIELDS] : c.fields.map((f) => f.field);
    if (fields.some((f) => CONTENT_FIELDS.has(f))) needed.add("mapping.edit").add("mapping.submit");
    const setsDestinations =
      c.action === "added" ? (c.content as BundleMapping).destinations.length > 0 : fields.includes("destinations");
    if (setsDestinations) needed.add("mapping.toggleDestination");
  }
  for (const permission of needed) assertCan(actor, permission);
}

async function destinationIds(workspaceId: string) {
  const rows = await db().destination.findMany({ where: { workspaceId }, select: { id: true, name: true } });
  return new Map(rows.map((d) => [d.name, d.id]));
}

function toggles(m: BundleMapping, ids: Map<string, string>): Record<string, DestinationToggle> {
  return Object.fromEntries(
    m.destinations.map((d) => [ids.get(d.name)!, { enabled: d.enabled, event_name: d.event_name ?? null }]),
  );
}

/** Removes a mapping's destinations the bundle no longer lists (with an audit entry). */
async function dropDestinations(actor: Actor, mappingId: string, keep: string[], reference: string) {
  await db().$transaction(async (tx) => {
    const gone = await tx.mappingDestination.findMany({
      where: { mappingId, destinationId: { notIn: keep } },
      include: { destination: { select: { name: true } } },
    });
    if (gone.length === 0) return;
    await tx.mappingDestination.deleteMany({ where: { id: { in: gone.map((d) => d.id) } } });
    await recordAudit(tx, actor, {
      action: "mapping.destinations",
      entityType: "mapping",
      entityId: mappingId,
      summary: `removed ${gone.map((d) => d.destination.name).join(", ")} (registry apply ${reference})`,
      before: Object.fromEntries(gone.map((d) => [d.destination.name, { enabled: d.enabled }])),
      after: {},
    });
  });
}

async function findMappingId(workspaceId: string, m: BundleMapping): Promise<string> {
  const row = await db().mapping.findFirst({
    where: { workspaceId, sourceEvent: m.source_event, source: { key: m.source }, status: { not: "deprecated" } },
    select: { id: true },
  });
  if (!row) throw new AppError("conflict", `The mapping ${m.source}/${m.source_event} changed meanwhile; plan again`);
  return row.id;
}

async function applyEvent(actor: Actor, change: PlannedChange, document: CanonicalEventDocument) {
  const input = canonicalEventCreateSchema.parse(fromJsonSchema(document));
  if (change.action === "added") {
    await createCanonicalEvent(actor, input);
    return "created" as const;
  }
  const current = await db().canonicalEvent.findUniqueOrThrow({
    where: { workspaceId_name: { workspaceId: actor.workspaceId, name: input.name } },
    select: { id: true },
  });
  await updateCanonicalEvent(actor, current.id, { description: input.description, properties: input.properties });
  return "edited" as const;
}

async function applyMapping(
  actor: Actor,
  change: PlannedChange,
  m: BundleMapping,
  ids: Map<string, string>,
  reference: string,
): Promise<Pick<AppliedChange, "outcome" | "mapping_id">> {
  const note = `Applied from ${reference}`;
  const content = {
    canonical_event: m.canonical_event,
    required_properties: m.required_properties,
    property_renames: m.property_renames,
  };
  if (change.action === "added") {
    const created = await createMapping(actor, {
      source: m.source,
      source_event: m.source_event,
      ...content,
      note,
      ...(m.destinations.length ? { destinations: toggles(m, ids) } : {}),
    });
    await transitionMapping(actor, created.id, "submit", reference);
    return { outcome: "submitted", mapping_id: created.id };
  }
  const id = await findMappingId(actor.workspaceId, m);
  const fields = change.fields.map((f) => f.field);
  if (fields.includes("destinations")) {
    await dropDestinations(actor, id, [...Object.keys(toggles(m, ids))], reference);
    if (m.destinations.length) await updateMapping(actor, id, { destinations: toggles(m, ids) });
  }
  if (!fields.some((f) => CONTENT_FIELDS.has(f))) return { outcome: "destinations", mapping_id: id };
  await updateMapping(actor, id, { ...content, note });
  await transitionMapping(actor, id, "submit", reference);
  return { outcome: "submitted", mapping_id: id };
}

export async function applyRegistry(actor: Actor, input: RegistryApplyInput) {
  assertCanPlan(actor);
  const { bundle, reference } = input;
  const plan = await planRegistry(actor, bundle);
  assertCanApply(actor, plan.changes);
  const ids = await destinationIds(actor.workspaceId);
  const documents = new Map(bundle.canonical_events.map((d) => [d.title, d]));
  const mappings = new Map(bundle.mappings.map((m) => [`${m.source}/${m.source_event}`, m]));
  const results: AppliedChange[] = [];
  // Canonical events first: the mappings point at them.
  const ordered = [...plan.changes].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "canonical_event" ? -1 : 1));
  try {
    for (const change of ordered) {
      const base = { kind: change.kind, key: change.key, action: change.action, breaking: change.breaking };
      if (change.action === "removed" || change.action === "deprecated") {
        const reason =
          change.kind === "mapping"
            ? "deprecating a mapping is a reviewer's decision: deprecate it in the workspace"
            : "canonical events are not deleted by apply: remove it in the workspace";
        results.push({ ...base, outcome: "skipped", reason });
      } else if (change.kind === "canonical_event") {
        results.push({ ...base, outcome: await applyEvent(actor, change, documents.get(change.key)!) });
      } else {
        results.push({ ...base, ...(await applyMapping(actor, change, mappings.get(change.key)!, ids, reference)) });
      }
    }
  } finally {
    const done = results.filter((r) => r.outcome !== "skipped");
    if (done.length) {
      await recordAudit(db(), actor, {
        action: "registry.apply",
        entityType: "registry",
        entityId: actor.workspaceId,
        summary: `applied ${done.length} change${done.length === 1 ? "" : "s"} from ${reference}`,
        after: { reference, changes: done.map((r) => ({ kind: r.kind, key: r.key, outcome: r.outcome })) },
      });
    }
    invalidateRegistry(actor.workspaceId);
  }
  const count = (outcome: AppliedChange["outcome"]) => results.filter((r) => r.outcome === outcome).length;
  return {
    reference,
    summary: {
      ...plan.summary,
      submitted: count("submitted"),
      skipped: count("skipped"),
    },
    changes: results,
  };
}

export type RegistryApplyResult = Awaited<ReturnType<typeof applyRegistry>>;
