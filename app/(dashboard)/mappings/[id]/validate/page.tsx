import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getMapping } from "@/lib/registry/mappings/get-mapping";
import type { PropertyDefinition } from "@/lib/validations/registry";
import { ValidationWizard } from "./validation-wizard";

export const metadata: Metadata = { title: "Validate a mapping end to end" };

export default async function ValidatePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  const mapping = await getMapping(actor, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const head = mapping.head_revision!;
  // Test keys validate the revision under review when there is one, else the live revision.
  const revision = head.status === "draft" || head.status === "in_review" ? head : mapping.live_revision;
  const [source, canonical, destinations, knownUser] = await Promise.all([
    db().source.findFirstOrThrow({
      where: { workspaceId: actor.workspaceId, key: mapping.source },
      select: { id: true, key: true },
    }),
    revision
      ? db().canonicalEvent.findFirst({
          where: { workspaceId: actor.workspaceId, name: revision.canonical_event },
          select: { properties: true },
        })
      : null,
    db().destination.findMany({
      where: {
        workspaceId: actor.workspaceId,
        id: { in: mapping.destinations.filter((d) => d.enabled).map((d) => d.id) },
      },
      select: { id: true, name: true, type: true, enabled: true, testMode: true },
      orderBy: { name: "asc" },
    }),
    db().profile.findFirst({
      where: { workspaceId: actor.workspaceId },
      orderBy: { updatedAt: "desc" },
      select: { userId: true },
    }),
  ]);
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`;
  return (
    <>
      <p className="muted">
        <Link href={`/mappings/${mapping.id}`}>
          ← {mapping.source} · “{mapping.source_event}”
        </Link>
      </p>
      <h1>Validate one event before expanding</h1>
      <p className="muted">
        Send one real-shaped event for a known user through this mapping, watch it cross every hop, and record the four
        checks on the mapping. Test write keys reach only destinations in test mode (Meta test_event_code, GA4 debug
        endpoint, Google validateOnly).
      </p>
      {revision ? (
        <ValidationWizard
          mapping={{ id: mapping.id, sourceId: source.id, source: source.key, sourceEvent: mapping.source_event }}
          revision={{
            number: revision.number,
            status: revision.status,
            canonicalEvent: revision.canonical_event,
            required: revision.required_properties,
            renames: revision.property_renames,
          }}
          definitions={(canonical?.properties ?? []) as PropertyDefinition[]}
          destinations={destinations.map((d) => ({
            name: d.name,
            type: d.type,
            ready: d.enabled && d.testMode,
            note: !d.enabled ? "disabled" : d.testMode ? "test mode" : "live — not reached by test keys",
          }))}
          knownUser={knownUser?.userId ?? "validation-user-1"}
          origin={origin}
          canValidate={can(actor.role, "mapping.validate")}
        />
      ) : (
        <p className="alert error">This mapping has no revision to validate (rejected or deprecated).</p>
      )}
    </>
  );
}
