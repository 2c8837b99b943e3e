// Per-destination sync status of one audience: status, backlog, last sync, match rate, last error.

import { StatusBadge } from "@/components/ui/form-bits";
import type { DestinationSyncStatus } from "@/lib/audiences/audience-status";

export const when = (iso: string | null, none = "—") =>
  iso ? `${new Date(iso).toLocaleString("en-GB", { timeZone: "UTC" })} UTC` : none;

export const matchRate = (d: Pick<DestinationSyncStatus, "match_rate" | "matchable" | "members">) =>
  d.match_rate === null ? "—" : `${Math.round(d.match_rate * 100)}% (${d.matchable}/${d.members})`;

export function DestinationStatusList({ rows }: { rows: DestinationSyncStatus[] }) {
  if (rows.length === 0) return <span className="muted">no destinations</span>;
  return (
    <ul style={{ margin: 0, paddingLeft: "1rem" }}>
      {rows.map((d) => (
        <li key={d.destination_id}>
          {d.destination}: <StatusBadge status={d.enabled ? d.status : "off"} /> match {matchRate(d)}
        </li>
      ))}
    </ul>
  );
}
