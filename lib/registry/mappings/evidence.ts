// Review evidence: a bounded sample of one source event's recent events (the newest EVIDENCE_SAMPLE of the
// last EVIDENCE_DAYS days, read by the (workspace, source, source event, received) index, the total counted
// only up to a cap) with the properties they carry and a dry run of a revision over them.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { loadPayloads, payloadIn } from "@/lib/events/payloads";
import { PROMOTABLE_KINDS } from "@/lib/events/unmapped";
import type { Tx } from "@/lib/registry/audit";
import {
  type DryRun,
  dryRunRevision,
  type ObservedProperty,
  observeProperties,
  percent,
} from "@/lib/registry/mappings/dry-run";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";

export const EVIDENCE_SAMPLE = 1000;
export const EVIDENCE_DAYS = 7;
/** The total in the window is counted up to this many events, never over millions. */
export const EVIDENCE_COUNT_CAP = 10_000;

export interface Evidence {
  window_days: number;
  sampled: number;
  /** Events of this source event in the window, counted up to total_cap. */
  total: number;
  total_capped: boolean;
  properties: ObservedProperty[];
  /** How the sampled events were stored when they arrived: { accepted | held | rejected | unmapped: % }. */
  stored_as: Record<string, number>;
  dry_run: (DryRun & { revision: number | null; canonical_event: string }) | null;
}

/** The properties as the source sent them (a stored event of a mapping holds them renamed). */
function sourceProperties(row: { properties: unknown; payload: unknown }): Record<string, unknown> {
  const payload = row.payload as { properties?: unknown } | null;
  const sent = payload && typeof payload === "object" ? payload.properties : undefined;
  const chosen = sent && typeof sent === "object" && !Array.isArray(sent) ? sent : row.properties;
  return (chosen ?? {}) as Record<string, unknown>;
}

export async function sampleSourceEvents(
  client: Tx,
  workspaceId: string,
  sourceId: string,
  sourceEvent: string,
  now = new Date(),
) {
  const since = new Date(now.getTime() - EVIDENCE_DAYS * 86_400_000);
  const where = { workspaceId, sourceId, sourceEvent, kind: { in: PROMOTABLE_KINDS }, receivedAt: { gte: since } };
  const [rows, total] = await Promise.all([
    client.event.findMany({
      where,
      orderBy: { receivedAt: "desc" },
      take: EVIDENCE_SAMPLE,
      select: { id: true, receivedAt: true, properties: true, status: true },
    }),
    client.event.count({ where, take: EVIDENCE_COUNT_CAP + 1 }),
  ]);
  // An expired payload has no properties: the stored (canonical) ones stand in for it.
  const payloads = await loadPayloads(workspaceId, rows, client);
  const statuses: Record<string, number> = {};
  for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
  return {
    samples: rows.map((row) => sourceProperties({ properties: row.properties, payload: payloadIn(payloads, row.id) })),
    statuses,
    total: Math.min(total, EVIDENCE_COUNT_CAP),
    totalCapped: total > EVIDENCE_COUNT_CAP,
  };
}

export interface RevisionUnderReview {
  number: number | null;
  canonicalName: string;
  required: string[];
  renames: Record<string, string>;
  definitions: PropertyDefinition[];
}

export function summarizeEvidence(
  sample: Awaited<ReturnType<typeof sampleSourceEvents>>,
  revision: RevisionUnderReview | null,
): Evidence {
  return {
    window_days: EVIDENCE_DAYS,
    sampled: sample.samples.length,
    total: sample.total,
    total_capped: sample.totalCapped,
    properties: observeProperties(sample.samples),
    stored_as: Object.fromEntries(
      Object.entries(sample.statuses).map(([status, count]) => [status, percent(count, sample.samples.length)]),
    ),
    dry_run: revision
      ? {
          revision: revision.number,
          canonical_event: revision.canonicalName,
          ...dryRunRevision(sample.samples, {
            canonicalName: revision.canonicalName,
            required: revision.required,
            renames: revision.renames,
            definitions: revision.definitions,
          }),
        }
      : null,
  };
}

/** The revision (its number, else the head) of a mapping, with its canonical event's definitions. */
export async function loadRevisionRules(client: Tx, mappingId: string, number?: number) {
  const revision = await client.mappingRevision.findFirst({
    where: { mappingId, ...(number ? { number } : {}) },
    orderBy: { number: "desc" },
    include: { canonicalEvent: { select: { name: true, properties: true } } },
  });
  if (!revision) throw notFound("Revision");
  return {
    number: revision.number,
    canonicalName: revision.canonicalEvent.name,
    required: revision.requiredProperties,
    renames: revision.propertyRenames as Record<string, string>,
    definitions: revision.canonicalEvent.properties as PropertyDefinition[],
  } satisfies RevisionUnderReview;
}

/** Evidence for one revision of a mapping (the head by default). */
export async function mappingEvidence(actor: Actor, id: string, revisionNumber?: number): Promise<Evidence> {
  assertCan(actor, "workspace.read");
  const mapping = await db().mapping.findFirst({
    where: { id, workspaceId: actor.workspaceId },
    select: { id: true, sourceId: true, sourceEvent: true },
  });
  if (!mapping) throw notFound("Mapping");
  const [revision, sample] = await Promise.all([
    loadRevisionRules(db(), mapping.id, revisionNumber),
    sampleSourceEvents(db(), actor.workspaceId, mapping.sourceId, mapping.sourceEvent),
  ]);
  return summarizeEvidence(sample, revision);
}

export interface SourceEventEvidenceQuery {
  source: string;
  source_event: string;
  canonical_event?: string;
  required_properties?: string[];
  property_renames?: Record<string, string>;
}

/** Evidence for a mapping not yet proposed (the promote form): observed properties, and a dry run if a canonical event is named. */
export async function sourceEventEvidence(actor: Actor, query: SourceEventEvidenceQuery): Promise<Evidence> {
  assertCan(actor, "workspace.read");
  const source = await db().source.findFirst({
    where: { workspaceId: actor.workspaceId, key: query.source },
    select: { id: true },
  });
  if (!source) {
    throw new AppError("unprocessable", "Unknown source", [
      { path: "source", message: "no such source in this workspace" },
    ]);
  }
  const [sample, canonical] = await Promise.all([
    sampleSourceEvents(db(), actor.workspaceId, source.id, query.source_event),
    query.canonical_event
      ? db().canonicalEvent.findUnique({
          where: { workspaceId_name: { workspaceId: actor.workspaceId, name: query.canonical_event } },
          select: { name: true, properties: true },
        })
      : null,
  ]);
  if (query.canonical_event && !canonical) {
    throw new AppError("unprocessable", "Unknown canonical event", [
      { path: "canonical_event", message: `no canonical event named "${query.canonical_event}" in this workspace` },
    ]);
  }
  const definitions = (canonical?.properties ?? []) as PropertyDefinition[];
  return summarizeEvidence(
    sample,
    canonical
      ? {
          number: null,
          canonicalName: canonical.name,
          required: query.required_properties ?? definitions.filter((d) => d.required).map((d) => d.name),
          renames: query.property_renames ?? {},
          definitions,
        }
      : null,
  );
}
