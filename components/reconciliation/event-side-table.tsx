// What arrived per day × canonical event and what became of it before delivery: each number links
// to the stored events behind it (exact repeats store no event, so their count has no link).
import Link from "next/link";
import { count } from "@/components/overview/format";
import { dayBounds, eventsHref, type Scope } from "@/components/reconciliation/links";
import type { ReconciliationRow } from "@/lib/metrics/reconciliation";

const COLUMNS = [
  { key: "received", label: "Received", status: undefined },
  { key: "accepted", label: "Accepted", status: "accepted" },
  { key: "held", label: "Held (mapping not approved)", status: "held" },
  { key: "violations", label: "Violations", status: "rejected" },
  { key: "duplicates", label: "Duplicates (exact repeats)", status: null },
  { key: "conflicts", label: "event_id conflicts", status: "duplicate_conflict" },
  { key: "suppressed", label: "Suppressed (consent / erasure)", status: "suppressed" },
  { key: "unmapped", label: "Unmapped", status: "unmapped" },
] as const;

function Cell({ n, href, label }: { n: number; href: string | null; label: string }) {
  if (n === 0 || !href) return <td>{count(n)}</td>;
  return (
    <td>
      <Link href={href} aria-label={`${count(n)} ${label}`}>
        {count(n)}
      </Link>
    </td>
  );
}

export function EventSideTable({
  rows,
  range,
  caption,
}: {
  rows: ReconciliationRow[];
  range: { from: string; to: string };
  caption: string;
}) {
  return (
    <table aria-label={caption}>
      <caption className="muted">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col">Canonical event</th>
          {COLUMNS.map((c) => (
            <th scope="col" key={c.key}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const name = r.canonicalEvent?.name ?? null;
          const scope: Scope = { ...dayBounds(r.day, range), canonicalEvent: name };
          return (
            <tr key={`${r.day}|${r.canonicalEvent?.id ?? ""}`}>
              <th scope="row">{r.day === "total" ? `${range.from} – ${range.to}` : r.day}</th>
              <td>{name ?? <span className="muted">no canonical event</span>}</td>
              {COLUMNS.map((c) => {
                // Events mapped to no canonical event have no explorer filter of their own but their status.
                const linkable = c.status !== null && (name !== null || c.status === "unmapped");
                const label = `${c.label.toLowerCase()} ${name ?? "without a canonical event"} ${r.day}`;
                // Held events carry their mapping, not a canonical event: filter by the mapping when it is one.
                const href =
                  c.status === "held"
                    ? eventsHref(
                        { ...scope, canonicalEvent: null },
                        "held",
                        r.heldMappings.length === 1 ? r.heldMappings[0] : undefined,
                      )
                    : linkable
                      ? eventsHref(scope, c.status ?? undefined)
                      : null;
                return <Cell key={c.key} n={r[c.key]} href={href} label={label} />;
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
