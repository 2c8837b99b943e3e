"use client";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable, type SelectableFeatures } from "@/components/data-table";
import { CursorPager } from "@/components/pager";
import { StatusBadge } from "@/components/ui/form-bits";
import { FilterBar, UrlSelect } from "@/components/url-filters";
import { DELIVERY_STATUSES, type DeliveryListQuery } from "@/lib/validations/delivery";

interface Row {
  id: string;
  status: string;
  destination: { id: string; name: string; type: string; enabled: boolean };
  event_id: string;
  canonical_event: string | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  updated_at: string;
}

const helper = createColumnHelper<SelectableFeatures, Row>();
const columns = helper.columns([
  helper.accessor("updated_at", {
    header: "Updated",
    cell: (c) => <Link href={`/deliveries/${c.row.original.id}`}>{new Date(c.getValue()).toLocaleString()}</Link>,
  }),
  helper.accessor("status", { header: "Status", cell: (c) => <StatusBadge status={c.getValue()} /> }),
  helper.accessor((r) => r.destination.name, {
    id: "destination",
    header: "Destination",
    cell: (c) =>
      c.row.original.destination.enabled ? (
        c.getValue()
      ) : (
        <span className="muted" title={`${c.getValue()} is switched off: nothing is sent there`}>
          {c.getValue()} (switched off)
        </span>
      ),
  }),
  helper.accessor("canonical_event", { header: "Canonical event", cell: (c) => <code>{c.getValue()}</code> }),
  helper.accessor("event_id", { header: "event_id", cell: (c) => <code>{c.getValue()}</code> }),
  helper.accessor("attempts", { header: "Attempts" }),
  helper.accessor("last_error", { header: "Last error", cell: (c) => c.getValue() ?? "" }),
  helper.accessor("next_attempt_at", {
    header: "Next try",
    cell: (c) => (c.getValue() ? new Date(c.getValue()!).toLocaleTimeString() : ""),
  }),
]);

interface Props {
  result: { rows: Row[]; next_cursor: string | null; prev_cursor: string | null };
  query: DeliveryListQuery;
  destinations: { id: string; name: string }[];
  canonicalEvents: string[];
}

export function DeliveriesTable({ result, query, destinations, canonicalEvents }: Props) {
  return (
    <div className="panel">
      <FilterBar q={query.q} placeholder="event_id or user">
        <UrlSelect
          name="destination"
          label="Destination"
          value={query.destination}
          options={destinations.map((d) => [d.id, d.name] as const)}
        />
        <UrlSelect
          name="status"
          label="Status"
          value={query.status}
          options={DELIVERY_STATUSES.map((s) => [s, s] as const)}
        />
        <UrlSelect
          name="canonical_event"
          label="Canonical event"
          value={query.canonical_event}
          options={canonicalEvents.map((c) => [c, c] as const)}
        />
      </FilterBar>
      <div style={{ height: ".75rem" }} />
      <DataTable
        label="Deliveries"
        columns={columns}
        rows={result.rows}
        empty="No deliveries match. Accepted events queue one per destination enabled on their mapping."
      />
      <CursorPager nextCursor={result.next_cursor} prevCursor={result.prev_cursor} noun="deliveries" />
    </div>
  );
}
