// The computed-trait parts of a profile view: current values, their history (why each changed)
// and the sync of changed values to Heap.
import { EmptyState, StatusBadge } from "@/components/ui/form-bits";
import type { ProfileComputedTraitsJson } from "@/lib/traits/profile-traits";

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
  if (computed.values.length === 0) {
    return <EmptyState>Not computed yet{computed.scheduled.length ? ": a recompute is queued" : ""}.</EmptyState>;
  }
  return (
    <table aria-label="Computed traits">
      <thead>
        <tr>
          <th>Trait</th>
          <th>Value</th>
          <th>Since</th>
        </tr>
      </thead>
      <tbody>
        {computed.values.map((v) => (
          <tr key={v.key}>
            <td>
              <code>{v.key}</code>
            </td>
            <td>{v.key === "destination_eligibility" ? <Eligibility value={v.value as never} /> : <Value value={v.value} />}</td>
            <td>{when(v.since)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ComputedTraitHistory({ computed }: { computed: Computed }) {
  if (computed.history.length === 0) return <EmptyState>No computed trait changes recorded.</EmptyState>;
  return (
    <table aria-label="Computed trait history">
      <thead>
        <tr>
          <th>When</th>
          <th>Trait</th>
          <th>From</th>
          <th>To</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        {computed.history.map((h) => (
          <tr key={h.id}>
            <td>{when(h.at)}</td>
            <td>
              <code>{h.key}</code>
            </td>
            <td>
              <Value value={h.previous} />
            </td>
            <td>
              <Value value={h.value} />
            </td>
            <td>{h.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function HeapSyncs({ computed }: { computed: Computed }) {
  if (computed.heap_syncs.length === 0) return <EmptyState>Nothing synced to Heap: no enabled Heap destination, or no change yet.</EmptyState>;
  return (
    <table aria-label="Heap sync">
      <thead>
        <tr>
          <th>Queued</th>
          <th>Destination</th>
          <th>Properties</th>
          <th>Status</th>
          <th>Attempts</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {computed.heap_syncs.map((s) => (
          <tr key={s.id}>
            <td>{when(s.queued_at)}</td>
            <td>{s.destination}</td>
            <td>
              <Value value={s.properties} />
            </td>
            <td>
              <StatusBadge status={s.status} />
            </td>
            <td>{s.attempts}</td>
            <td>{s.delivered_at ? `delivered ${when(s.delivered_at)}` : s.last_error ? `${s.last_error}${s.next_attempt_at ? `; next try ${when(s.next_attempt_at)}` : ""}` : dash}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
