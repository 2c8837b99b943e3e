import type { Metadata } from "next";
import Link from "next/link";
import { eventHref, profileHref } from "@/components/event-links";
import { ChecksList } from "@/components/inspector/event-trace";
import { StatusBadge } from "@/components/ui/form-bits";
import { orNotFound, requirePageActor } from "@/lib/auth/page";
import { getEvent } from "@/lib/events/get-event";
import { getTrace } from "@/lib/inspector/trace";
import { EventDeliveries } from "./event-deliveries";

export const metadata: Metadata = { title: "Event" };

const when = (iso: string) => new Date(iso).toLocaleString();
const orNone = (value: string | null) => value ?? <span className="muted">—</span>;

function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <section aria-label={label}>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </section>
  );
}

export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  const event = await orNotFound(getEvent(actor, id));
  const trace = await getTrace(actor, event.id);
  const profile = profileHref(event);
  return (
    <>
      <p className="muted">
        <Link href="/events">← Events</Link>
      </p>
      <div className="spread">
        <h1>
          {event.source ?? "?"} · “{event.source_event}”
          {event.canonical_event ? (
            <>
              {" "}
              → <code>{event.canonical_event}</code>
            </>
          ) : null}
        </h1>
        <StatusBadge status={event.status} />
      </div>
      <div className="panel">
        <dl className="facts">
          <dt>event_id</dt>
          <dd>
            <code>{event.event_id}</code> ·{" "}
            <Link href={`/inspector?q=${encodeURIComponent(event.event_id)}`}>Trace end to end in the inspector →</Link>
          </dd>
          <dt>Kind</dt>
          <dd>{event.kind}</dd>
          <dt>Mapping</dt>
          <dd>
            {event.mapping ? (
              <>
                <Link href={`/mappings/${event.mapping.id}`}>“{event.mapping.source_event}”</Link>{" "}
                <StatusBadge status={event.mapping.status} />
              </>
            ) : event.status === "unmapped" ? (
              "none — no mapping matched this source event"
            ) : (
              orNone(event.mapping_id)
            )}
          </dd>
          <dt>user_id</dt>
          <dd>{orNone(event.user_id)}</dd>
          <dt>anonymous_id</dt>
          <dd>{orNone(event.anonymous_id)}</dd>
          <dt>Resolved user</dt>
          <dd>{orNone(event.resolved_user_id)}</dd>
          <dt>Profile</dt>
          <dd>
            {profile ? (
              <Link href={profile}>
                {event.profile ? `Profile of ${event.profile.user_id}` : "Look up this person"}
              </Link>
            ) : (
              orNone(null)
            )}
          </dd>
          <dt>Occurred</dt>
          <dd>{when(event.occurred_at)}</dd>
          <dt>Received</dt>
          <dd>{when(event.received_at)}</dd>
          <dt>Row id</dt>
          <dd>
            <code>{event.id}</code>
          </dd>
          <dt>Payload hash</dt>
          <dd>
            <code>{event.payload_hash}</code>
          </dd>
        </dl>
      </div>
      {event.status === "rejected" ? (
        <section className="panel" aria-label="Problems">
          <h2 style={{ marginTop: 0 }}>Problems</h2>
          <p className="muted">
            Rejected with 422: the call did not fit its mapping. It is kept for the violation counts and never
            delivered.
          </p>
          {event.problem_list?.length ? (
            <ul>
              {event.problem_list.map((p) => (
                <li key={`${p.path}-${p.message}`}>
                  <code>{p.path || "(call)"}</code> {p.message}
                </li>
              ))}
            </ul>
          ) : (
            <Json value={event.problems} label="Problems" />
          )}
        </section>
      ) : null}
      {event.status === "duplicate_conflict" ? (
        <section className="panel" aria-label="Conflict">
          <h2 style={{ marginTop: 0 }}>event_id conflict</h2>
          <p>
            This call reused the event_id of{" "}
            {event.original ? (
              <Link href={eventHref(event.original.id)}>
                the original event received {when(event.original.received_at)}
              </Link>
            ) : (
              "an event that is no longer stored"
            )}{" "}
            with a different payload. The original was kept; this call answered 409.
          </p>
          {event.problems ? <Json value={event.problems} label="What differed" /> : null}
        </section>
      ) : null}
      {event.conflicting_calls.length ? (
        <p className="muted">
          Later calls reused this event_id with a different payload:{" "}
          {event.conflicting_calls.map((c, i) => (
            <span key={c.id}>
              {i ? ", " : ""}
              <Link href={eventHref(c.id)}>{when(c.received_at)}</Link>
            </span>
          ))}
        </p>
      ) : null}
      <h2>
        The four checks <StatusBadge status={trace.outcome} />
      </h2>
      <ChecksList checks={trace.checks} />
      <h2>Canonical properties</h2>
      <Json value={event.properties} label="Canonical properties" />
      <h2>Stored payload</h2>
      <p className="muted">The call exactly as received.</p>
      <Json value={event.payload} label="Stored payload" />
      {event.context ? (
        <>
          <h2>Context</h2>
          <Json value={event.context} label="Context" />
        </>
      ) : null}
      <h2>Deliveries</h2>
      <EventDeliveries status={event.status} deliveries={event.deliveries} />
    </>
  );
}
