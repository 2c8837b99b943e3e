import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { mappingActivity } from "@/lib/metrics/mapping-activity";
import { listMappings } from "@/lib/registry/mappings/list-mappings";
import { mappingListQuerySchema } from "@/lib/validations/mappings";
import { canonicalEventChoices, destinationChoices, sourceChoices } from "@/lib/workspace/choices";
import { MappingsTable } from "./mappings-table";

export const metadata: Metadata = { title: "Mappings" };

export default async function MappingsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requirePageActor();
  const raw = await searchParams;
  const parsed = mappingListQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : mappingListQuerySchema.parse({});
  const [result, sources, canonicalEvents, destinations] = await Promise.all([
    listMappings(actor, query),
    sourceChoices(actor),
    canonicalEventChoices(actor),
    destinationChoices(actor),
  ]);
  const activity = await mappingActivity(
    actor,
    result.rows.map((m) => m.id),
  );
  const rows = result.rows.map((m) => ({ ...m, activity: activity.get(m.id) }));
  return (
    <>
      <div className="spread">
        <h1>{query.needs_review === "me" ? "Needs my review" : "Mappings"}</h1>
        {can(actor.role, "mapping.edit") ? (
          <Link className="button primary" href="/mappings/new">
            Propose mapping
          </Link>
        ) : null}
      </div>
      <p className="muted">
        Source events → canonical events. Only approved mappings are ever delivered.
        {parsed.success ? null : " Some filters in the address were invalid and were ignored."}
      </p>
      {can(actor.role, "mapping.approve") ? (
        <p className="row">
          {query.needs_review === "me" ? (
            <>
              <span>
                {result.total} revision{result.total === 1 ? "" : "s"} in review that you did not submit.
              </span>
              <Link href="/mappings">All mappings →</Link>
            </>
          ) : (
            <Link href="/mappings?needs_review=me">Needs my review →</Link>
          )}
        </p>
      ) : null}
      <MappingsTable
        result={{ ...result, rows }}
        query={query}
        filters={{ sources, canonicalEvents: canonicalEvents.map((c) => c.name), destinations }}
        permissions={{ submit: can(actor.role, "mapping.submit"), approve: can(actor.role, "mapping.approve") }}
      />
    </>
  );
}
