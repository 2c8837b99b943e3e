import type { Metadata } from "next";
import { Forbidden } from "@/components/forbidden";
import { MappingForm } from "@/components/mapping-form";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";
import { canonicalEventChoices, sourceChoices } from "@/lib/workspace/choices";

export const metadata: Metadata = { title: "Propose mapping" };

export default async function NewMappingPage({
  searchParams,
}: {
  searchParams: Promise<{ source?: string; source_event?: string }>;
}) {
  const actor = await requirePageActor();
  if (!can(actor.role, "mapping.edit")) return <Forbidden action="propose mappings" role={actor.role} />;
  const prefill = await searchParams;
  const [sources, canonicalEvents] = await Promise.all([sourceChoices(actor), canonicalEventChoices(actor)]);
  return (
    <>
      <h1>Propose a mapping</h1>
      <p className="muted">
        Promote a Heap event or virtual event into the production vocabulary. It starts as a draft; submit it for review
        when it is ready.
      </p>
      <div className="panel">
        <MappingForm
          sources={sources}
          canonicalEvents={canonicalEvents.map((c) => ({
            name: c.name,
            properties: c.properties as PropertyDefinition[],
          }))}
          prefill={prefill}
        />
      </div>
    </>
  );
}
