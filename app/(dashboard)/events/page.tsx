import type { Metadata } from "next";
import Link from "next/link";
import { FirstEventHint } from "@/components/first-event-hint";
import { TimeRangeNote } from "@/components/time-range-note";
import { requirePageActor } from "@/lib/auth/page";
import { listEvents } from "@/lib/events/list-events";
import { eventListQuerySchema } from "@/lib/validations/events";
import { canonicalEventChoices, mappingLabel, sourceChoices } from "@/lib/workspace/choices";
import { EventsTable } from "./events-table";

const withoutCursor = <T extends { cursor?: unknown }>({ cursor: _, ...rest }: T) => rest;

export const metadata: Metadata = { title: "Events" };

export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requirePageActor();
  const parsed = eventListQuerySchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : eventListQuerySchema.parse({});
  const [result, sources, canonicalEvents, mapping] = await Promise.all([
    listEvents(actor, query),
    sourceChoices(actor),
    canonicalEventChoices(actor),
    query.mapping ? mappingLabel(actor, query.mapping) : null,
  ]);
  const filtered = Boolean(
    query.status ||
      query.kind ||
      query.source ||
      query.canonical_event ||
      query.mapping ||
      query.q ||
      query.from ||
      query.to,
  );
  return (
    <>
      <h1>Events</h1>
      <p className="muted">
        Every call TrackLayer received, as stored: accepted, held (draft mapping), unmapped, rejected and event_id
        conflicts.
        {parsed.success ? null : " Some filters in the address were invalid and were ignored."}
      </p>
      {query.mapping ? (
        <p className="muted">
          Only events of the mapping{" "}
          {mapping ? (
            <Link href={`/mappings/${mapping.id}`}>“{mapping.sourceEvent}”</Link>
          ) : (
            <code>{query.mapping}</code>
          )}
          .
        </p>
      ) : null}
      <TimeRangeNote
        path="/events"
        what="Received"
        from={query.from}
        to={query.to}
        params={{ ...query, from: undefined, to: undefined, cursor: undefined }}
      />
      <EventsTable
        result={result}
        query={{ ...withoutCursor(query), from: query.from?.toISOString(), to: query.to?.toISOString() }}
        filters={{ sources, canonicalEvents: canonicalEvents.map((c) => c.name) }}
        empty={filtered ? "No events match these filters." : <FirstEventHint />}
      />
    </>
  );
}
