import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { orNotFound, requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { getMapping } from "@/lib/registry/mappings/get-mapping";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";
import { canonicalEventChoices, destinationChoices, recentUserId, sourceByKey } from "@/lib/workspace/choices";
import { ValidationWizard } from "./validation-wizard";

export const metadata: Metadata = { title: "Validate a mapping end to end" };

export default async function ValidatePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  const mapping = await orNotFound(getMapping(actor, id));
  const head = mapping.head_revision!;
  // Test keys validate the revision under review when there is one, else the live revision.
  const revision = head.status === "draft" || head.status === "in_review" ? head : mapping.live_revision;
  const [source, canonicals, allDestinations, knownUser] = await Promise.all([
    sourceByKey(actor, mapping.source),
    canonicalEventChoices(actor),
    destinationChoices(actor),
    recentUserId(actor),
  ]);
  const canonical = revision ? canonicals.find((c) => c.name === revision.canonical_event) : undefined;
  const toggledOn = new Set(mapping.destinations.filter((d) => d.enabled).map((d) => d.id));
  const destinations = allDestinations.filter((d) => toggledOn.has(d.id));
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
          knownUser={knownUser ?? "validation-user-1"}
          origin={origin}
          canValidate={can(actor.role, "mapping.validate")}
        />
      ) : (
        <p className="alert error">This mapping has no revision to validate (rejected or deprecated).</p>
      )}
    </>
  );
}
