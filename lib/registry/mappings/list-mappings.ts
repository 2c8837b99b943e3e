// The mappings table: server-side filter, search, sort and pagination.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { awaitingReviewWhere } from "@/lib/registry/mappings/review-queue";
import { mappingInclude, peopleFor, serializeMapping, validatorsOf } from "@/lib/registry/mappings/serialize";
import type { MappingListQuery } from "@/lib/validations/mappings";

function orderBy(query: MappingListQuery): Prisma.MappingOrderByWithRelationInput[] {
  const dir = query.order;
  const primary: Prisma.MappingOrderByWithRelationInput = {
    updated_at: { updatedAt: dir },
    created_at: { createdAt: dir },
    source_event: { sourceEvent: dir },
    source: { source: { key: dir } },
    canonical_event: { headRevision: { canonicalEvent: { name: dir } } },
    status: { status: dir },
  }[query.sort] as Prisma.MappingOrderByWithRelationInput;
  return [primary, { id: "asc" }];
}

export async function listMappings(actor: Actor, query: MappingListQuery) {
  assertCan(actor, "workspace.read");
  const where: Prisma.MappingWhereInput = {
    workspaceId: actor.workspaceId,
    ...(query.needs_review === "me" ? awaitingReviewWhere(actor) : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.source ? { source: { key: query.source } } : {}),
    ...(query.canonical_event
      ? {
          OR: [
            { headRevision: { canonicalEvent: { name: query.canonical_event } } },
            { liveRevision: { canonicalEvent: { name: query.canonical_event } } },
          ],
        }
      : {}),
    ...(query.destination ? { destinations: { some: { destinationId: query.destination, enabled: true } } } : {}),
    ...(query.q
      ? {
          AND: [
            {
              OR: [
                { sourceEvent: { contains: query.q, mode: "insensitive" } },
                { headRevision: { canonicalEvent: { name: { contains: query.q, mode: "insensitive" } } } },
              ],
            },
          ],
        }
      : {}),
  };
  const [records, total] = await Promise.all([
    db().mapping.findMany({
      where,
      include: mappingInclude,
      orderBy: orderBy(query),
      skip: (query.page - 1) * query.per_page,
      take: query.per_page,
    }),
    db().mapping.count({ where }),
  ]);
  const people = await peopleFor(
    records.flatMap((m) => [m.headRevision, m.liveRevision]),
    validatorsOf(records),
  );
  return {
    total,
    page: query.page,
    per_page: query.per_page,
    rows: records.map((m) => serializeMapping(m, people)),
  };
}
