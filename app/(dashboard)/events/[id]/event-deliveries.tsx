// The outbox rows of one event: destination, status, attempts and the last error.

import { TableScroll } from "@/components/ui/card";
import { EmptyState, StatusBadge } from "@/components/ui/form-bits";
import type { EventDetailJson } from "@/lib/events/get-event";

const WHY_NONE: Record<string, string> = {
  accepted: "No destination was enabled for this mapping when the event arrived.",
  held: "Held: its mapping is still a draft or in review, so nothing is delivered.",
  unmapped: "Unmapped events are never delivered. Promote the source event to a mapping first.",
  rejected: "Rejected events are never delivered.",
  duplicate_conflict: "Conflicting calls are never delivered; the original was.",
  suppressed: "A suppressed person's call: stored without personal data and never delivered (see Privacy).",
};

export function EventDeliveries({ status, deliveries }: { status: string; deliveries: EventDetailJson["deliveries"] }) {
  if (deliveries.length === 0) return <EmptyState>{WHY_NONE[status] ?? "No deliveries."}</EmptyState>;
  return (
    <TableScroll>
      <table aria-label="Deliveries">
        <thead>
          <tr>
            <th>Destination</th>
            <th>Type</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Last error</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td>{d.destination}</td>
              <td>{d.destination_type}</td>
              <td>
                <StatusBadge status={d.status} />
              </td>
              <td>{d.attempts}</td>
              <td>{d.last_error ?? <span className="muted">—</span>}</td>
              <td>{new Date(d.updated_at).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
