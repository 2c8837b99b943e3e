"use client";
import { usePathname, useRouter } from "next/navigation";
// The live list: events stream in over server-sent events, newest first, at most MAX_ROWS kept;
// pause buffers arrivals (bounded too); filters live in the URL; a row expands into its trace.
import { Fragment, useEffect, useRef, useState } from "react";
import { EventTrace } from "@/components/inspector/event-trace";
import { TableScroll } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/form-bits";
import type { LiveRow } from "@/lib/inspector/live-rows";
import { EVENT_STATUSES } from "@/lib/validations/events";
import type { InspectorFilter } from "@/lib/validations/inspector";

const MAX_ROWS = 200;

interface Props {
  filter: InspectorFilter;
  sources: string[];
  canonicalEvents: string[];
}

function merge(rows: LiveRow[], incoming: LiveRow[]): LiveRow[] {
  const known = new Set(rows.map((r) => r.id));
  const fresh = incoming.filter((r) => !known.has(r.id)).reverse();
  return [...fresh, ...rows].slice(0, MAX_ROWS);
}

export function LiveInspector({ filter, sources, canonicalEvents }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const [rows, setRows] = useState<LiveRow[]>([]);
  const [buffer, setBuffer] = useState<LiveRow[]>([]);
  const [paused, setPaused] = useState(false);
  const [connected, setConnected] = useState(false);
  const [skipped, setSkipped] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();

  useEffect(() => {
    setRows([]);
    setBuffer([]);
    const source = new EventSource(`/api/inspector/stream${query ? `?${query}` : ""}`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener("rows", (message) => {
      const data = JSON.parse((message as MessageEvent<string>).data) as { rows: LiveRow[]; skipped: number };
      if (data.skipped) setSkipped((n) => n + data.skipped);
      if (pausedRef.current) setBuffer((b) => merge(b, data.rows));
      else setRows((r) => merge(r, data.rows));
    });
    return () => source.close();
  }, [query]);

  function resume() {
    setRows((r) => merge(r, [...buffer].reverse()));
    setBuffer([]);
    setPaused(false);
  }

  function applyFilters(form: FormData) {
    const params = new URLSearchParams();
    for (const [k, v] of form) if (typeof v === "string" && v.trim()) params.set(k, v.trim());
    router.replace(`${pathname}${params.size ? `?${params}` : ""}`);
  }

  return (
    <>
      <form className="row panel" aria-label="Filters" action={applyFilters}>
        <label>
          Source
          <select name="source" defaultValue={filter.source ?? ""}>
            <option value="">any</option>
            {sources.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Canonical event
          <select name="canonical_event" defaultValue={filter.canonical_event ?? ""}>
            <option value="">any</option>
            {canonicalEvents.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status" defaultValue={filter.status ?? ""}>
            <option value="">any</option>
            {EVENT_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input name="q" defaultValue={filter.q ?? ""} placeholder="user_id, anonymous_id, event_id, order_id" />
        </label>
        <button type="submit">Apply</button>
      </form>
      <div className="row">
        <span role="status" className="muted">
          {connected ? "Live" : "Connecting…"} · {rows.length} shown
          {skipped ? ` · ${skipped} skipped in bursts (narrow the filters)` : ""}
        </span>
        {paused ? (
          <button type="button" onClick={resume}>
            Resume ({buffer.length} new)
          </button>
        ) : (
          <button type="button" onClick={() => setPaused(true)}>
            Pause
          </button>
        )}
      </div>
      <TableScroll>
        <table aria-label="Live events">
          <thead>
            <tr>
              <th>Received</th>
              <th>Status</th>
              <th>Source event</th>
              <th>Canonical</th>
              <th>User</th>
              <th>event_id</th>
              <th>order / lead</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  Waiting for events… send one with a write key and it appears here.
                </td>
              </tr>
            ) : null}
            {rows.map((row) => (
              <Fragment key={row.id}>
                <tr
                  className="live-row"
                  data-open={open === row.id}
                  onClick={() => setOpen(open === row.id ? null : row.id)}
                >
                  <td>
                    <button
                      type="button"
                      className="row-toggle"
                      aria-expanded={open === row.id}
                      aria-controls={open === row.id ? `trace-${row.id}` : undefined}
                      aria-label={`Trace of ${row.event_id}, received ${new Date(row.received_at).toLocaleTimeString()}`}
                      onClick={(e) => {
                        e.stopPropagation();
                        setOpen(open === row.id ? null : row.id);
                      }}
                    >
                      {open === row.id ? "▾" : "▸"} {new Date(row.received_at).toLocaleTimeString()}
                    </button>
                  </td>
                  <td>
                    <StatusBadge status={row.status} />
                  </td>
                  <td>{row.source_event}</td>
                  <td>{row.canonical_event ?? "—"}</td>
                  <td>{row.user ?? "—"}</td>
                  <td>
                    <code>{row.event_id}</code>
                  </td>
                  <td>{row.order_id ?? row.lead_id ?? "—"}</td>
                </tr>
                {open === row.id ? (
                  <tr id={`trace-${row.id}`}>
                    <td colSpan={7}>
                      <EventTrace id={row.id} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
