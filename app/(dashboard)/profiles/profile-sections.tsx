// The parts of a profile view: linked anonymous ids, traits and their history, identity
// conflicts and recent events.
import Link from "next/link";
import { eventHref } from "@/components/event-links";
import { TableScroll } from "@/components/ui/card";
import { EmptyState, StatusBadge } from "@/components/ui/form-bits";
import type { ProfileLookupJson } from "@/lib/identity/lookup-profile";

type Lookup = ProfileLookupJson;
type Profile = NonNullable<Lookup["profile"]>;

const when = (iso: string) => new Date(iso).toLocaleString();
const show = (value: unknown) => <code>{typeof value === "string" ? value : JSON.stringify(value)}</code>;
const dash = <span className="muted">—</span>;

export function Table({
  label,
  head,
  rows,
  empty,
}: {
  label: string;
  head: string[];
  rows: React.ReactNode[][];
  empty: string;
}) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <TableScroll>
      <table aria-label={label}>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((cells, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: read-only rows, rendered once in a fixed order.
            <tr key={i}>
              {cells.map((cell, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a row's cells never move.
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function LinkedIds({ profile }: { profile: Profile }) {
  return (
    <Table
      label="Linked anonymous ids"
      head={["anonymous_id", "Linked by", "Call", "When"]}
      rows={profile.anonymous_ids.map((a) => [
        <code key="a">{a.anonymous_id}</code>,
        a.linked_via,
        a.linked_by_ref ? <code key="r">{a.linked_by_ref}</code> : dash,
        when(a.linked_at),
      ])}
      empty="No anonymous ids linked to this user yet."
    />
  );
}

export function Traits({ profile }: { profile: Profile }) {
  const traits = Object.entries((profile.traits ?? {}) as Record<string, unknown>);
  return (
    <Table
      label="Current traits"
      head={["Trait", "Value"]}
      rows={traits.map(([k, v]) => [<code key="k">{k}</code>, show(v)])}
      empty="No traits yet."
    />
  );
}

export function TraitHistory({ profile }: { profile: Profile }) {
  return (
    <Table
      label="Trait history"
      head={["When", "Trait", "Value", "Set by", "Call"]}
      rows={profile.trait_history.map((t) => [
        when(t.created_at),
        <code key="t">{t.trait}</code>,
        show(t.value),
        t.via,
        t.call_ref ? <code key="c">{t.call_ref}</code> : dash,
      ])}
      empty="No trait changes recorded."
    />
  );
}

export function Conflicts({ conflicts }: { conflicts: Lookup["conflicts"] }) {
  return (
    <Table
      label="Identity conflicts"
      head={["When", "anonymous_id", "Linked to", "Seen with", "Via", "Call"]}
      rows={conflicts.map((c) => [
        when(c.created_at),
        <code key="a">{c.anonymous_id}</code>,
        c.existing_user_id,
        c.attempted_user_id,
        c.via,
        c.call_ref ? <code key="r">{c.call_ref}</code> : dash,
      ])}
      empty="No identity conflicts: none of these ids was seen with another user."
    />
  );
}

export function RecentEvents({ events }: { events: Lookup["recent_events"] }) {
  return (
    <Table
      label="Recent events"
      head={["Received", "Status", "Source event", "Canonical event", "event_id"]}
      rows={events.map((e) => [
        <Link key="t" href={eventHref(e.id)}>
          {when(e.received_at)}
        </Link>,
        <StatusBadge key="s" status={e.status} />,
        `${e.source ?? "?"} · ${e.source_event}`,
        e.canonical_event ? <code key="c">{e.canonical_event}</code> : dash,
        <Link key="i" href={eventHref(e.id)}>
          <code>{e.event_id}</code>
        </Link>,
      ])}
      empty="No events yet."
    />
  );
}
