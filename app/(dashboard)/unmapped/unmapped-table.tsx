"use client";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable, type SelectableFeatures } from "@/components/data-table";
import { eventHref } from "@/components/event-links";
import { Pager } from "@/components/pager";
import { Badge } from "@/components/ui/badge";
import { FilterBar, UrlSelect } from "@/components/url-filters";
import type { UnmappedGroup } from "@/lib/events/unmapped";
import type { UnmappedQuery } from "@/lib/validations/events";

const helper = createColumnHelper<SelectableFeatures, UnmappedGroup>();

const promoteHref = (g: UnmappedGroup) =>
  `/mappings/new?${new URLSearchParams({ ...(g.source ? { source: g.source } : {}), source_event: g.source_event }).toString()}`;

function columnsFor(canPromote: boolean) {
  return helper.columns([
    helper.accessor("source_event", {
      header: "Source event",
      cell: (c) => (
        <>
          <span className="muted">{c.row.original.source ?? "?"} ·</span> “{c.getValue()}”
        </>
      ),
    }),
    helper.accessor("count", { header: "Calls" }),
    helper.accessor("first_seen", { header: "First seen", cell: (c) => new Date(c.getValue()).toLocaleString() }),
    helper.accessor("last_seen", { header: "Last seen", cell: (c) => new Date(c.getValue()).toLocaleString() }),
    helper.accessor("sample", {
      header: "Sample",
      cell: (c) => {
        const sample = c.getValue();
        return sample ? (
          <details>
            <summary>
              <Link href={eventHref(sample.id)}>
                <code>{sample.event_id}</code>
              </Link>
            </summary>
            <pre>{JSON.stringify(sample.payload, null, 2)}</pre>
          </details>
        ) : null;
      },
    }),
    helper.accessor("live_mapping", {
      header: "Mapping",
      cell: (c) => {
        const mapping = c.getValue();
        if (mapping) {
          return (
            <Link href={`/mappings/${mapping.id}`}>
              <Badge status="approved">mapped now</Badge>{" "}
              <span className="muted">({mapping.status.replace("_", " ")})</span>
            </Link>
          );
        }
        return canPromote && c.row.original.source ? (
          <Link className="button" href={promoteHref(c.row.original)}>
            Promote to mapping
          </Link>
        ) : (
          <span className="muted">unmapped</span>
        );
      },
    }),
  ]);
}

interface Props {
  result: { rows: UnmappedGroup[]; total: number; page: number; per_page: number };
  query: UnmappedQuery;
  sources: { key: string; name: string }[];
  canPromote: boolean;
}

export function UnmappedTable({ result, query, sources, canPromote }: Props) {
  const columns = useMemo(() => columnsFor(canPromote), [canPromote]);
  return (
    <div className="panel">
      <FilterBar q={query.q} placeholder="Source event name">
        <UrlSelect
          name="source"
          label="Source"
          value={query.source}
          options={sources.map((s) => [s.key, s.name] as const)}
        />
      </FilterBar>
      <div style={{ height: ".75rem" }} />
      <DataTable
        label="Unmapped source events"
        columns={columns}
        rows={result.rows}
        empty={
          query.q || query.source
            ? "No unmapped events match these filters."
            : "No unmapped events. When /api/capture receives an event name that no mapping covers for its source, it is stored as unmapped (never delivered) and grouped here, ready to promote."
        }
      />
      <Pager page={result.page} perPage={result.per_page} total={result.total} />
    </div>
  );
}
