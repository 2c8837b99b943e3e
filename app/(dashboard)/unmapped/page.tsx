import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listUnmapped } from "@/lib/events/unmapped";
import { unmappedQuerySchema } from "@/lib/validations/events";
import { sourceChoices } from "@/lib/workspace/choices";
import { UnmappedTable } from "./unmapped-table";

export const metadata: Metadata = { title: "Unmapped events" };

export default async function UnmappedPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requirePageActor();
  const parsed = unmappedQuerySchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : unmappedQuerySchema.parse({});
  const [result, sources] = await Promise.all([listUnmapped(actor, query), sourceChoices(actor)]);
  return (
    <>
      <h1>Unmapped source events</h1>
      <p className="muted">
        Capture and track calls whose event name no mapping covers for their source. They were stored (202) but never
        delivered: promote the ones that matter to a mapping.
        {parsed.success ? null : " Some filters in the address were invalid and were ignored."}
      </p>
      <UnmappedTable result={result} query={query} sources={sources} canPromote={can(actor.role, "mapping.edit")} />
    </>
  );
}
