import type { Metadata } from "next";
import { TimeRangeNote } from "@/components/time-range-note";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listDeliveries } from "@/lib/delivery/deliveries";
import { deliveryListQuerySchema } from "@/lib/validations/delivery";
import { canonicalEventChoices, destinationChoices } from "@/lib/workspace/choices";
import { DeliveriesTable } from "./deliveries-table";
import { ReplayForm } from "./delivery-actions";

export const metadata: Metadata = { title: "Deliveries" };

export default async function DeliveriesPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requirePageActor();
  const parsed = deliveryListQuerySchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : deliveryListQuerySchema.parse({});
  const [result, destinations, canonicalEvents] = await Promise.all([
    listDeliveries(actor, query),
    destinationChoices(actor),
    canonicalEventChoices(actor),
  ]);
  return (
    <>
      <h1>Deliveries</h1>
      <p className="muted">
        Every send to a destination, with each attempt's request and answer. Accepted deliveries are never sent again.
      </p>
      <TimeRangeNote
        path="/deliveries"
        what="Queued"
        from={query.from}
        to={query.to}
        params={{ ...query, from: undefined, to: undefined, cursor: undefined }}
      />
      <DeliveriesTable
        result={result}
        query={query}
        destinations={destinations}
        canonicalEvents={canonicalEvents.map((c) => c.name)}
      />
      {can(actor.role, "delivery.retry") ? (
        <details className="panel">
          <summary>Replay failed deliveries</summary>
          <ReplayForm destinations={destinations} />
        </details>
      ) : null}
    </>
  );
}
