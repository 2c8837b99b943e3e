// The JSON shape of a mapping and its revisions, as the API returns it and the pages render it.
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export const revisionInclude = {
  canonicalEvent: { select: { id: true, name: true } },
} satisfies Prisma.MappingRevisionInclude;

export const mappingInclude = {
  source: { select: { id: true, key: true, name: true } },
  headRevision: { include: revisionInclude },
  liveRevision: { include: revisionInclude },
  destinations: { include: { destination: { select: { id: true, name: true, type: true, enabled: true } } } },
  validations: { orderBy: { createdAt: "desc" }, take: 1 },
} satisfies Prisma.MappingInclude;

export type MappingRecord = Prisma.MappingGetPayload<{ include: typeof mappingInclude }>;
export type RevisionRecord = Prisma.MappingRevisionGetPayload<{ include: typeof revisionInclude }>;

export type PeopleById = Map<string, string>;

/** Emails of the people a set of mappings' revisions and validations mention, fetched in one query. */
export async function peopleFor(
  revisions: (RevisionRecord | null | undefined)[],
  validators: string[] = [],
): Promise<PeopleById> {
  const ids = new Set<string>(validators);
  for (const r of revisions) {
    for (const id of [r?.createdById, r?.submittedById, r?.reviewedById]) if (id) ids.add(id);
  }
  if (ids.size === 0) return new Map();
  const users = await db().user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, email: true } });
  return new Map(users.map((u) => [u.id, u.email]));
}

export function revisionContent(r: RevisionRecord) {
  return {
    canonical_event: r.canonicalEvent.name,
    required_properties: r.requiredProperties,
    property_renames: r.propertyRenames as Record<string, string>,
    note: r.note,
  };
}

export function serializeRevision(r: RevisionRecord, people: PeopleById) {
  const who = (id: string | null) => (id ? { id, email: people.get(id) ?? null } : null);
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    ...revisionContent(r),
    created_by: who(r.createdById),
    created_at: r.createdAt.toISOString(),
    submitted_by: who(r.submittedById),
    submitted_at: r.submittedAt?.toISOString() ?? null,
    reviewed_by: who(r.reviewedById),
    reviewed_at: r.reviewedAt?.toISOString() ?? null,
    review_comment: r.reviewComment,
  };
}

export type RevisionJson = ReturnType<typeof serializeRevision>;

export function serializeMapping(m: MappingRecord, people: PeopleById) {
  const head = m.headRevision;
  return {
    id: m.id,
    source: m.source.key,
    source_event: m.sourceEvent,
    status: m.status,
    canonical_event: (m.liveRevision ?? head)?.canonicalEvent.name ?? null,
    live_revision: m.liveRevision ? serializeRevision(m.liveRevision, people) : null,
    head_revision: head ? serializeRevision(head, people) : null,
    /** True when a newer revision than the live one is waiting (draft or in review). */
    pending_changes: Boolean(m.liveRevisionId && head && head.id !== m.liveRevisionId && head.status !== "rejected"),
    last_validation: lastValidation(m, people),
    destinations: m.destinations.map((d) => ({
      id: d.destination.id,
      name: d.destination.name,
      type: d.destination.type,
      destination_enabled: d.destination.enabled,
      enabled: d.enabled,
      /** This mapping's platform event name there (null: the destination's event_names or the standard name). */
      event_name: d.eventName,
    })),
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
  };
}

export type MappingJson = ReturnType<typeof serializeMapping>;

/** The latest guided validation, and whether it covers the revision a reviewer would approve now. */
function lastValidation(m: MappingRecord, people: PeopleById) {
  const v = m.validations[0];
  if (!v) return null;
  return {
    outcome: v.outcome,
    event_id: v.eventId,
    revision_id: v.revisionId,
    covers_head: v.revisionId === m.headRevisionId,
    validated_by: people.get(v.validatedById) ?? null,
    validated_at: v.createdAt.toISOString(),
  };
}

export const validatorsOf = (mappings: { validations: { validatedById: string }[] }[]) =>
  mappings.flatMap((m) => m.validations.map((v) => v.validatedById));
