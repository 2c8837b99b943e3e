"use client";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { DataTable, type SelectableFeatures } from "@/components/data-table";
import { Sparkline } from "@/components/overview/sparkline";
import { Pager } from "@/components/pager";
import { callApi } from "@/components/ui/api-client";
import { Badge } from "@/components/ui/badge";
import { FormAlert, StatusBadge } from "@/components/ui/form-bits";
import { FilterBar, UrlSelect } from "@/components/url-filters";
import type { MappingActivity } from "@/lib/metrics/mapping-activity";
import type { MappingJson } from "@/lib/registry/mappings/serialize";
import { MAPPING_STATUSES, type MappingListQuery } from "@/lib/validations/mappings";

/** A mapping with its last 7 days from the rollups. */
export type MappingRow = MappingJson & { activity?: MappingActivity };

const helper = createColumnHelper<SelectableFeatures, MappingRow>();
const percent = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`);
const columns = helper.columns([
  helper.accessor("source_event", {
    header: "Source event",
    cell: (c) => <Link href={`/mappings/${c.row.original.id}`}>{c.getValue()}</Link>,
  }),
  helper.accessor("source", { header: "Source" }),
  helper.accessor("canonical_event", { header: "Canonical event", cell: (c) => <code>{c.getValue()}</code> }),
  helper.accessor("status", {
    header: "Status",
    cell: (c) => (
      <span className="row">
        <StatusBadge status={c.getValue()} />
        {c.row.original.pending_changes ? (
          <Badge>changes {c.row.original.head_revision?.status.replace("_", " ")}</Badge>
        ) : null}
      </span>
    ),
  }),
  helper.accessor("destinations", {
    header: "Destinations",
    cell: (c) => {
      const on = c.getValue().filter((d) => d.enabled);
      if (!on.length) return <span className="muted">none</span>;
      return on.map((d, i) => (
        <span key={d.id}>
          {i ? ", " : ""}
          {d.destination_enabled ? (
            d.name
          ) : (
            <span className="muted" title={`${d.name} is switched off: nothing is sent there`}>
              {d.name} (switched off)
            </span>
          )}
        </span>
      ));
    },
  }),
  helper.accessor("last_validation", {
    header: "Validated",
    cell: (c) => {
      const v = c.getValue();
      if (!v) return <span className="muted">never</span>;
      return (
        <span title={`event ${v.event_id} by ${v.validated_by ?? "?"}`}>
          <StatusBadge status={v.outcome === "passed" ? "pass" : "fail"} />{" "}
          {new Date(v.validated_at).toLocaleDateString()}
          {v.covers_head ? null : <span className="muted"> (older revision)</span>}
        </span>
      );
    },
  }),
  helper.accessor("activity", {
    id: "volume_7d",
    header: "7 days",
    cell: (c) => {
      const a = c.getValue();
      return a ? (
        <span className="row">
          <Sparkline values={a.daily} label={`${a.total} events in 7 days, per day: ${a.daily.join(", ")}`} />
          <span>{a.total.toLocaleString("en-US")}</span>
        </span>
      ) : null;
    },
  }),
  helper.accessor((m) => m.activity?.violationRate ?? null, {
    id: "violation_rate",
    header: "Violations",
    cell: (c) => percent(c.getValue()),
  }),
  helper.accessor((m) => m.activity?.lastSeenAt ?? null, {
    id: "last_seen",
    header: "Last seen",
    cell: (c) => {
      const v = c.getValue();
      return v ? new Date(v).toLocaleString() : <span className="muted">never</span>;
    },
  }),
  helper.accessor("updated_at", { header: "Updated", cell: (c) => new Date(c.getValue()).toLocaleString() }),
]);

const SORTABLE = {
  source_event: "source_event",
  source: "source",
  canonical_event: "canonical_event",
  status: "status",
  updated_at: "updated_at",
};

interface Props {
  result: { rows: MappingRow[]; total: number; page: number; per_page: number };
  query: MappingListQuery;
  filters: {
    sources: { key: string; name: string }[];
    canonicalEvents: string[];
    destinations: { id: string; name: string }[];
  };
  permissions: { submit: boolean; approve: boolean };
}

type BulkResult = { results: { id: string; ok: boolean; error?: { message: string } }[] };

export function MappingsTable({ result, query, filters, permissions }: Props) {
  const router = useRouter();
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function bulk(action: "submit" | "approve", ids: string[], clear: () => void) {
    const response = await callApi<BulkResult>("POST", "/api/mappings/bulk", { action, ids });
    if (!response.ok) return setMessage({ error: response.error.message });
    const failed = response.data.results.filter((r) => !r.ok);
    const done = response.data.results.length - failed.length;
    setMessage(
      failed.length
        ? { error: `${done} done, ${failed.length} failed: ${failed.map((f) => f.error?.message).join("; ")}` }
        : { success: `${action === "submit" ? "Submitted" : "Approved"} ${done} mapping(s).` },
    );
    clear();
    router.refresh();
  }

  return (
    <div className="panel">
      <FilterBar q={query.q} placeholder="Source or canonical event">
        <UrlSelect
          name="status"
          label="Status"
          value={query.status}
          options={MAPPING_STATUSES.map((s) => [s, s.replace("_", " ")])}
        />
        <UrlSelect
          name="source"
          label="Source"
          value={query.source}
          options={filters.sources.map((s) => [s.key, s.name])}
        />
        <UrlSelect
          name="canonical_event"
          label="Canonical event"
          value={query.canonical_event}
          options={filters.canonicalEvents.map((c) => [c, c])}
        />
        <UrlSelect
          name="destination"
          label="Destination"
          value={query.destination}
          options={filters.destinations.map((d) => [d.id, d.name])}
        />
      </FilterBar>
      <div style={{ height: ".75rem" }} />
      <FormAlert error={message.error} success={message.success} />
      <DataTable
        label="Mappings"
        columns={columns}
        rows={result.rows}
        sortable={SORTABLE}
        sortState={{ sort: query.sort, order: query.order }}
        selectable={permissions.submit || permissions.approve}
        empty={
          query.q || query.status || query.source || query.canonical_event || query.destination
            ? "No mappings match these filters."
            : "No mappings yet. Propose the first one."
        }
        toolbar={(selected, clear) =>
          selected.length ? (
            <div className="row" style={{ marginBottom: ".5rem" }}>
              <span className="muted">{selected.length} selected</span>
              {permissions.submit ? (
                <button
                  type="button"
                  onClick={() =>
                    void bulk(
                      "submit",
                      selected.map((m) => m.id),
                      clear,
                    )
                  }
                >
                  Submit selected
                </button>
              ) : null}
              {permissions.approve ? (
                <button
                  type="button"
                  className="primary"
                  onClick={() =>
                    void bulk(
                      "approve",
                      selected.map((m) => m.id),
                      clear,
                    )
                  }
                >
                  Approve selected
                </button>
              ) : null}
            </div>
          ) : null
        }
      />
      <Pager page={result.page} perPage={result.per_page} total={result.total} />
    </div>
  );
}
