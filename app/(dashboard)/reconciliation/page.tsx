// Reconciliation: why counts differ between what arrived and what each platform acknowledged —
// per day, canonical event and destination, every difference named, each number a link to the
// events or deliveries behind it, as CSV too; and what TrackLayer cannot see.
import type { Metadata } from "next";
import { DestinationTable } from "@/components/reconciliation/destination-table";
import { EventSideTable } from "@/components/reconciliation/event-side-table";
import { requirePageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { RECONCILIATION_BLIND_SPOTS, readReconciliation } from "@/lib/metrics/reconciliation";
import { withoutEmptyFields } from "@/lib/validations/common";
import { reconciliationQuerySchema } from "@/lib/validations/metrics";
import { canonicalEventChoices, destinationChoices } from "@/lib/workspace/choices";

export const metadata: Metadata = { title: "Reconciliation" };

async function read(actor: Awaited<ReturnType<typeof requirePageActor>>, params: Record<string, string>) {
  const parsed = reconciliationQuerySchema.safeParse(params);
  const query = parsed.success ? parsed.data : reconciliationQuerySchema.parse({});
  try {
    return { data: await readReconciliation(actor, query), query, invalid: !parsed.success };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "invalid_request") throw error;
    const fallback = reconciliationQuerySchema.parse({});
    return { data: await readReconciliation(actor, fallback), query: fallback, invalid: true };
  }
}

export default async function ReconciliationPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requirePageActor();
  const params = withoutEmptyFields(await searchParams);
  // The per-day breakdown (days × canonical events × destinations, every number a link) is shown on
  // request: the range totals are the glance, and the page stays small whatever the range.
  const byDay = params.by === "day";
  const [{ data, query, invalid }, canonicalEvents, destinations] = await Promise.all([
    read(actor, params),
    canonicalEventChoices(actor),
    destinationChoices(actor),
  ]);
  const range = { from: data.from, to: data.to };
  const filters = {
    from: data.from,
    to: data.to,
    ...(query.canonical_event ? { canonical_event: query.canonical_event } : {}),
    ...(query.destination ? { destination: query.destination } : {}),
  };
  const toggleDays = `/reconciliation?${new URLSearchParams(byDay ? filters : { ...filters, by: "day" })}`;
  return (
    <>
      <h1>Reconciliation</h1>
      <p className="muted">
        Why counts differ: what arrived → was accepted → queued for each destination → sent → acknowledged by the
        platform, and every difference with its count. Days are UTC; numbers come from the hourly rollups (a few seconds
        behind). Select a number to see the events or deliveries behind it.
        {invalid ? " Some filters in the address were invalid and were ignored." : null}
      </p>
      <search>
        <form className="row" method="get" action="/reconciliation" aria-label="Reconciliation filters">
          <label>
            From
            <input type="date" name="from" defaultValue={data.from} />
          </label>
          <label>
            To
            <input type="date" name="to" defaultValue={data.to} />
          </label>
          <label>
            Canonical event
            <select name="canonical_event" defaultValue={query.canonical_event ?? ""}>
              <option value="">All</option>
              {canonicalEvents.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Destination
            <select name="destination" defaultValue={query.destination ?? ""}>
              <option value="">All</option>
              {destinations.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Show</button>
          <a
            className="button"
            href={`/api/reconciliation?${new URLSearchParams({ ...filters, format: "csv" })}`}
            download
          >
            Download CSV
          </a>
        </form>
      </search>

      <section className="panel" aria-labelledby="totals-title">
        <h2 id="totals-title">
          {data.from} – {data.to}
        </h2>
        {data.totals.length === 0 ? (
          <p className="muted">Nothing arrived in these days.</p>
        ) : (
          <>
            <EventSideTable rows={data.totals} range={range} caption="Events over the range, per canonical event" />
            <DestinationTable
              rows={data.totals}
              range={range}
              caption="Deliveries over the range, per canonical event and destination"
            />
          </>
        )}
      </section>

      {data.days.length > 0 ? (
        <section className="panel" aria-labelledby="days-title">
          <h2 id="days-title">Per day</h2>
          <p>
            <a href={toggleDays}>
              {byDay
                ? "Hide the per-day breakdown"
                : `Show each of the ${new Set(data.days.map((d) => d.day)).size} days`}
            </a>
          </p>
        </section>
      ) : null}

      {byDay && data.days.length > 0 ? (
        <section className="panel" aria-label="Per-day breakdown">
          <EventSideTable rows={data.days} range={range} caption="Events per day and canonical event" />
          <DestinationTable
            rows={data.days}
            range={range}
            caption="Deliveries per day, canonical event and destination"
          />
        </section>
      ) : null}

      <section className="panel" aria-labelledby="terms-title">
        <h2 id="terms-title">How to read it</h2>
        <dl>
          <dt>Received</dt>
          <dd>Every call: accepted, held, violations, duplicates, event_id conflicts, suppressed and unmapped.</dd>
          <dt>Queued</dt>
          <dd>One outbox row per accepted event and destination the mapping sends to (or backfilled later).</dd>
          <dt>Sent, acknowledged, rejected by the platform</dt>
          <dd>
            Sent: the request carried the event. Acknowledged: the platform answered success for it. Rejected: it
            answered with a refusal (a 4xx or a per-event error) — a dead letter with the platform&apos;s message.
          </dd>
          <dt>Unmatchable</dt>
          <dd>
            The event carried no identifier the platform matches on (e-mail, phone, click id, …): dead-lettered without
            sending.
          </dd>
          <dt>Unsettled</dt>
          <dd>Queued minus acknowledged, dead and skipped: still pending or retrying, or settled on another day.</dd>
        </dl>
      </section>

      <section className="panel" aria-labelledby="blind-title">
        <h2 id="blind-title">What this cannot see</h2>
        <ul>
          {RECONCILIATION_BLIND_SPOTS.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      </section>
    </>
  );
}
