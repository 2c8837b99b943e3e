"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { useState } from "react";
import { DataTable, type SelectableFeatures } from "@/components/data-table";
import { CursorPager } from "@/components/pager";
import { FilterForm } from "@/components/url-filters";
import { useUrlState } from "@/components/url-state";

interface AuditRow {
  id: string;
  action: string;
  actor: string;
  entity_type: string;
  entity_id: string;
  summary: string;
  before: unknown;
  after: unknown;
  created_at: string;
}

const helper = createColumnHelper<SelectableFeatures, AuditRow>();
const columns = helper.columns([
  helper.accessor("created_at", { header: "When", cell: (c) => new Date(c.getValue()).toLocaleString() }),
  helper.accessor("actor", { header: "Who" }),
  helper.accessor("action", { header: "Action", cell: (c) => <code>{c.getValue()}</code> }),
  helper.accessor("summary", {
    header: "What",
    cell: (c) => (
      <>
        {c.getValue()}
        {c.row.original.before || c.row.original.after ? (
          <details>
            <summary className="muted">before / after</summary>
            <pre>{JSON.stringify({ before: c.row.original.before, after: c.row.original.after }, null, 2)}</pre>
          </details>
        ) : null}
      </>
    ),
  }),
  helper.accessor("entity_type", {
    header: "Entity",
    cell: (c) => `${c.getValue()} ${c.row.original.entity_id.slice(0, 10)}`,
  }),
]);

interface Props {
  result: { rows: AuditRow[]; next_cursor: string | null; prev_cursor: string | null };
  filters: { action: string; actor: string; entity_type: string; entity_id: string };
}

export function AuditTable({ result, filters }: Props) {
  const { update } = useUrlState();
  const [draft, setDraft] = useState(filters);
  return (
    <div className="panel">
      <FilterForm onApply={() => update(draft)}>
        <label>
          Action
          <input
            value={draft.action}
            placeholder="mapping.approve"
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          />
        </label>
        <label>
          Who
          <input
            value={draft.actor}
            placeholder="email"
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
          />
        </label>
        <label>
          Entity type
          <select value={draft.entity_type} onChange={(e) => setDraft({ ...draft, entity_type: e.target.value })}>
            <option value="">All</option>
            {["mapping", "canonical_event", "source", "write_key", "member", "token", "workspace"].map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Entity id
          <input value={draft.entity_id} onChange={(e) => setDraft({ ...draft, entity_id: e.target.value })} />
        </label>
        <button type="submit">Filter</button>
      </FilterForm>
      <div style={{ height: ".75rem" }} />
      <DataTable label="Audit log" columns={columns} rows={result.rows} empty="No audit entries match." />
      <CursorPager nextCursor={result.next_cursor} prevCursor={result.prev_cursor} noun="entries" />
    </div>
  );
}
