// The computed-trait parts of a profile view: current values, their history (why each changed)
// and the sync of changed values to Heap.
import { StatusBadge } from "@/components/ui/form-bits";
import type { ProfileComputedTraitsJson } from "@/lib/traits/profile-traits";
import { Table } from "./profile-sections";

type Computed = ProfileComputedTraitsJson;
const when = (iso: string) => new Date(iso).toLocaleString();
const dash = <span className="muted">—</span>;

function Value({ value }: { value: unknown }) {
  if (value === undefined || value === null) return dash;
  return <code>{typeof value === "string" ? value : JSON.stringify(value)}</code>;
}

/** destination_eligibility reads better as one line per destination. */
function Eligibility({ value }: { value: Record<string, { eligible: boolean; reason?: string }> }) {
  const entries = Object.entries(value ?? {});
  if (entries.length === 0) return <span className="muted">no enabled destinations</span>;
  return (
    <ul style={{ margin: 0, paddingLeft: "1.2em" }}>
      {entries.map(([name, e]) => (
        <li key={name}>
          {name}: {e.eligible ? "eligible" : `not eligible (${e.reason ?? "unknown"})`}
        </li>
      ))}
    </ul>
  );
}

export function ComputedTraits({ computed }: { computed: Computed }) {
  return (
    <Table
      label="Computed traits"
      head={["Trait", "Value", "Since"]}
      rows={computed.values.map((v) => [
        <code key="k">{v.key}</code>,
        v.key === "destination_eligibility" ? (
          <Eligibility key="v" value={v.value as never} />
        ) : (
          <Value key="v" value={v.value} />
        ),
        when(v.since),
      ])}
      empty={`Not computed yet${computed.scheduled.length ? ": a recompute is queued" : ""}.`}
    />
  );
}

export function ComputedTraitHistory({ computed }: { computed: Computed }) {
  return (
    <Table
      label="Computed trait history"
      head={["When", "Trait", "From", "To", "Why"]}
      rows={computed.history.map((h) => [
        when(h.at),
        <code key="k">{h.key}</code>,
        <Value key="p" value={h.previous} />,
        <Value key="v" value={h.value} />,
        h.reason,
      ])}
      empty="No computed trait changes recorded."
    />
  );
}

function syncDetail(s: Computed["heap_syncs"][number]) {
  if (s.delivered_at) return `delivered ${when(s.delivered_at)}`;
  if (!s.last_error) return dash;
  return `${s.last_error}${s.next_attempt_at ? `; next try ${when(s.next_attempt_at)}` : ""}`;
}

export function HeapSyncs({ computed }: { computed: Computed }) {
  return (
    <Table
      label="Heap sync"
      head={["Queued", "Destination", "Properties", "Status", "Attempts", "Detail"]}
      rows={computed.heap_syncs.map((s) => [
        when(s.queued_at),
        s.destination,
        <Value key="p" value={s.properties} />,
        <StatusBadge key="s" status={s.status} />,
        s.attempts,
        syncDetail(s),
      ])}
      empty="Nothing synced to Heap: no enabled Heap destination, or no change yet."
    />
  );
}
