import type { Metadata } from "next";
import { TableScroll } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/form-bits";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listCanonicalEvents } from "@/lib/registry/canonical-events";
import { CanonicalEventEditor } from "./canonical-event-editor";
import { describeRules } from "./describe-rules";

export const metadata: Metadata = { title: "Canonical events" };

export default async function CanonicalEventsPage() {
  const actor = await requirePageActor();
  const { rows } = await listCanonicalEvents(actor);
  const manage = can(actor.role, "canonicalEvent.manage");
  return (
    <>
      <h1>Canonical events</h1>
      <p className="muted">The production vocabulary: each event's properties, their types and which are required.</p>
      {manage ? (
        <details className="panel">
          <summary>New canonical event</summary>
          <CanonicalEventEditor />
        </details>
      ) : null}
      {rows.length === 0 ? <EmptyState>No canonical events yet.</EmptyState> : null}
      {rows.map((event) => (
        <section key={event.id} className="panel" aria-label={`Canonical event ${event.name}`}>
          <div className="spread">
            <h2 style={{ margin: 0 }}>
              <code>{event.name}</code>
            </h2>
            <span className="muted">used by {event.revision_count} mapping revision(s)</span>
          </div>
          <p className="muted">{event.description || "No description."}</p>
          <TableScroll>
            <table aria-label={`Properties of ${event.name}`}>
              <thead>
                <tr>
                  <th>Property</th>
                  <th>Type</th>
                  <th>Required</th>
                  <th>Rules</th>
                  <th>Description</th>
                </tr>
              </thead>
              <tbody>
                {event.properties.map((p) => (
                  <tr key={p.name}>
                    <td>
                      <code>{p.name}</code>
                    </td>
                    <td>{p.type}</td>
                    <td>
                      {p.required ? "required" : "optional"}
                      {p.personal ? " · personal" : ""}
                    </td>
                    <td>{describeRules(p)}</td>
                    <td>{p.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {manage ? (
            <details style={{ marginTop: ".6rem" }}>
              <summary>Edit {event.name}</summary>
              <CanonicalEventEditor event={event} />
            </details>
          ) : null}
        </section>
      ))}
    </>
  );
}
