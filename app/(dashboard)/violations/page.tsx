import type { Metadata } from "next";
import Link from "next/link";
import { TableScroll } from "@/components/ui/card";
import { EmptyState, StatusBadge } from "@/components/ui/form-bits";
import { rejectedEventsHref, ViolationSample } from "@/components/violation-sample";
import { requirePageActor } from "@/lib/auth/page";
import { listViolations } from "@/lib/events/violations";

export const metadata: Metadata = { title: "Violations" };

export default async function ViolationsPage() {
  const actor = await requirePageActor();
  const { rows } = await listViolations(actor);
  return (
    <>
      <h1>Violations</h1>
      <p className="muted">
        Calls rejected with 422 because they missed a mapping&apos;s required properties, per mapping, over the last 7
        days. Fix the sender or the mapping; rejected events are never delivered.
      </p>
      {rows.length === 0 ? (
        <EmptyState>
          No violations in the last 7 days. When a call to <code>/api/capture</code> misses a required property (say a{" "}
          <code>purchase</code> without <code>order_id</code>), it is answered 422, stored as rejected and counted here.
        </EmptyState>
      ) : (
        <TableScroll>
          <table aria-label="Violations">
            <thead>
              <tr>
                <th>Mapping</th>
                <th>Canonical event</th>
                <th>Last 1 h</th>
                <th>Last 24 h</th>
                <th>Last 7 d</th>
                <th>Latest sample</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.mapping_id}>
                  <td>
                    <Link href={`/mappings/${r.mapping_id}`}>
                      {r.source} · “{r.source_event}”
                    </Link>{" "}
                    <StatusBadge status={r.mapping_status} />
                    <br />
                    <Link className="muted" href={rejectedEventsHref(r.mapping_id)}>
                      Rejected events →
                    </Link>
                  </td>
                  <td>{r.canonical_event ? <code>{r.canonical_event}</code> : null}</td>
                  <td>{r.counts.last_1h}</td>
                  <td>{r.counts.last_24h}</td>
                  <td>{r.counts.last_7d}</td>
                  <td>{r.latest ? <ViolationSample sample={r.latest} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
