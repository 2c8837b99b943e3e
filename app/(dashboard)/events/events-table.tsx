"use client";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useEffect, useState } from "react";
import { DataTable, type SelectableFeatures } from "@/components/data-table";
import { eventHref, profileHref } from "@/components/event-links";
import { CursorPager } from "@/components/pager";
import { StatusBadge } from "@/components/ui/form-bits";
import { FilterBar, UrlSelect } from "@/components/url-filters";
import type { EventList } from "@/lib/events/list-events";
import type { EventRowJson } from "@/lib/events/serialize";
import { EVENT_KINDS, EVENT_STATUSES, type EventListQuery } from "@/lib/validations/events";

const helper = createColumnHelper<SelectableFeatures, EventRowJson>();
const columns = helper.columns([
  helper.accessor("received_at", {
    header: "Received",
    cell: (c) => <Link href={eventHref(c.row.original.id)}>{new Date(c.getValue()).toLocaleString()}</Link>,
  }),
  helper.accessor("status", { header: "Status", cell: (c) => <StatusBadge status={c.getValue()} /> }),
  helper.accessor("kind", { header: "Kind" }),
  helper.accessor("source", { header: "Source", cell: (c) => c.getValue() ?? <span className="muted">—</span> }),
  helper.accessor("source_event", { header: "Source event" }),
  helper.accessor("canonical_event", {
    header: "Canonical event",
    cell: (c) => (c.getValue() ? <code>{c.getValue()}</code> : <span className="muted">—</span>),
  }),
  helper.accessor("user", {
    header: "User",
    cell: (c) => {
      const href = profileHref(c.row.original);
      return href ? <Link href={href}>{c.getValue()}</Link> : <span className="muted">—</span>;
    },
  }),
  helper.accessor("event_id", {
    header: "event_id",
    cell: (c) => (
      <Link href={eventHref(c.row.original.id)}>
        <code>{c.getValue()}</code>
      </Link>
    ),
  }),
]);

const SORTABLE = { received_at: "received_at" };

/** datetime-local value (browser time) ↔ ISO instant. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
const toIso = (local: string) => (local ? new Date(local).toISOString() : "");

interface Props {
  result: EventList;
  query: Omit<EventListQuery, "from" | "to" | "cursor"> & { from?: string; to?: string };
  filters: { sources: { key: string; name: string }[]; canonicalEvents: string[] };
  empty: React.ReactNode;
}

export function EventsTable({ result, query, filters, empty }: Props) {
  const [range, setRange] = useState({ from: "", to: "" });
  useEffect(() => setRange({ from: toLocalInput(query.from), to: toLocalInput(query.to) }), [query.from, query.to]);

  return (
    <div className="panel">
      <FilterBar
        q={query.q}
        placeholder="event_id, user, anonymous id or event name"
        apply={(q) => ({ q, from: toIso(range.from), to: toIso(range.to) })}
      >
        <UrlSelect
          name="status"
          label="Status"
          value={query.status}
          options={EVENT_STATUSES.map((s) => [s, s.replace("_", " ")] as const)}
        />
        <UrlSelect name="kind" label="Kind" value={query.kind} options={EVENT_KINDS.map((k) => [k, k] as const)} />
        <UrlSelect
          name="source"
          label="Source"
          value={query.source}
          options={filters.sources.map((s) => [s.key, s.name] as const)}
        />
        <UrlSelect
          name="canonical_event"
          label="Canonical event"
          value={query.canonical_event}
          options={filters.canonicalEvents.map((c) => [c, c] as const)}
        />
        <label>
          From
          <input
            type="datetime-local"
            value={range.from}
            onChange={(e) => setRange({ ...range, from: e.target.value })}
          />
        </label>
        <label>
          To
          <input type="datetime-local" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
        </label>
        <button type="submit">Filter</button>
      </FilterBar>
      <div style={{ height: ".75rem" }} />
      <DataTable
        label="Events"
        columns={columns}
        rows={result.rows}
        sortable={SORTABLE}
        sortState={{ sort: query.sort, order: query.order }}
        empty={empty}
      />
      <CursorPager
        nextCursor={result.next_cursor}
        prevCursor={result.prev_cursor}
        totalEstimate={result.total_estimate}
        noun="events"
      />
    </div>
  );
}
