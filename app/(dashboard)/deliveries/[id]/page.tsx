import type { Metadata } from "next";
import Link from "next/link";
import { StatusBadge } from "@/components/ui/form-bits";
import { orNotFound, requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { getDelivery } from "@/lib/delivery/deliveries";
import { RetryButton } from "../delivery-actions";

export const metadata: Metadata = { title: "Delivery" };

export default async function DeliveryPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  const d = await orNotFound(getDelivery(actor, id));
  return (
    <>
      <p className="muted">
        <Link href="/deliveries">← Deliveries</Link>
      </p>
      <div className="spread">
        <h1>
          {d.destination.name}
          {d.destination.enabled ? "" : " (switched off)"} · <code>{d.event.event_id}</code>
        </h1>
        <StatusBadge status={d.status} />
      </div>
      <div className="panel">
        <dl className="facts">
          <dt>Event</dt>
          <dd>
            {d.event.expired ? (
              d.event.source_event
            ) : (
              <Link href={`/events/${d.event.id}`}>{d.event.source_event}</Link>
            )}
          </dd>
          <dt>Attempts</dt>
          <dd>{d.attempts}</dd>
          <dt>Next try</dt>
          <dd>{d.next_attempt_at ? new Date(d.next_attempt_at).toLocaleString() : "—"}</dd>
          <dt>Acknowledgement</dt>
          <dd>{d.ack ? <code>{JSON.stringify(d.ack)}</code> : "—"}</dd>
          <dt>Last error</dt>
          <dd>{d.last_error ?? "none"}</dd>
        </dl>
        {can(actor.role, "delivery.retry") && d.status !== "succeeded" ? (
          <RetryButton id={d.id} queued={d.status === "pending"} />
        ) : null}
      </div>
      <h2>Attempts</h2>
      {d.log.length === 0 ? <p className="muted">Not attempted yet.</p> : null}
      {d.log.map((a) => (
        <section key={a.attempt} className="panel" aria-label={`Attempt ${a.attempt}`}>
          <div className="row">
            <strong>Attempt {a.attempt}</strong>
            <StatusBadge status={a.outcome} />
            <span className="muted">
              {new Date(a.at).toLocaleString()} · {a.latency_ms} ms · {a.reason}
              {a.next_attempt_at ? ` · next try ${new Date(a.next_attempt_at).toLocaleTimeString()}` : ""}
            </span>
          </div>
          <h3 className="muted">Request</h3>
          <pre>{`POST ${a.request.url}\n${JSON.stringify(a.request.headers, null, 2)}\n\n${JSON.stringify(a.request.body, null, 2)}`}</pre>
          <h3 className="muted">Response {a.response.status ?? ""}</h3>
          <pre>{JSON.stringify(a.response.body, null, 2)}</pre>
        </section>
      ))}
    </>
  );
}
