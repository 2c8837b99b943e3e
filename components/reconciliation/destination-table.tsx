// What reached each platform per day × canonical event × destination: queued → sent → acknowledged,
// and the dead letters by reason; each number links to the outbox rows behind it.
import Link from "next/link";
import { count } from "@/components/overview/format";
import { dayBounds, deliveriesHref, type Scope } from "@/components/reconciliation/links";
import { DEAD_REASON_LABELS, DEAD_REASONS } from "@/lib/metrics/reasons";
import type { DestinationFunnel, ReconciliationRow } from "@/lib/metrics/reconciliation";

function Num({ n, href, label }: { n: number; href?: string; label: string }) {
  if (n === 0 || !href) return <>{count(n)}</>;
  return (
    <Link href={href} aria-label={`${count(n)} ${label}`}>
      {count(n)}
    </Link>
  );
}

function DeadReasons({ funnel }: { funnel: DestinationFunnel }) {
  const reasons = DEAD_REASONS.filter((r) => funnel.deadReasons[r] > 0);
  if (reasons.length === 0) return null;
  return (
    <ul className="muted">
      {reasons.map((r) => (
        <li key={r}>
          {DEAD_REASON_LABELS[r]}: {count(funnel.deadReasons[r])}
        </li>
      ))}
    </ul>
  );
}

export function DestinationTable({
  rows,
  range,
  caption,
}: {
  rows: ReconciliationRow[];
  range: { from: string; to: string };
  caption: string;
}) {
  const lines = rows.flatMap((r) => r.destinations.map((f) => ({ row: r, funnel: f })));
  if (lines.length === 0) return <p className="muted">Nothing was queued for a destination in these days.</p>;
  return (
    <table aria-label={caption}>
      <caption className="muted">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col">Canonical event</th>
          <th scope="col">Destination</th>
          <th scope="col">Queued</th>
          <th scope="col">Sent</th>
          <th scope="col">Acknowledged</th>
          <th scope="col">Rejected by the platform</th>
          <th scope="col">Unmatchable</th>
          <th scope="col">Dead (all reasons)</th>
          <th scope="col">Skipped</th>
          <th scope="col">Unsettled</th>
        </tr>
      </thead>
      <tbody>
        {lines.map(({ row, funnel: f }) => {
          const name = row.canonicalEvent?.name ?? null;
          const scope: Scope = { ...dayBounds(row.day, range), canonicalEvent: name };
          const href = (status?: string) => (name ? deliveriesHref(scope, f.destination.id, status) : undefined);
          const what = `${name ?? ""} to ${f.destination.name} ${row.day}`;
          return (
            <tr key={`${row.day}|${row.canonicalEvent?.id ?? ""}|${f.destination.id}`}>
              <th scope="row">{row.day === "total" ? `${range.from} – ${range.to}` : row.day}</th>
              <td>{name ?? <span className="muted">no canonical event</span>}</td>
              <td>
                {f.destination.name} {f.destination.type ? <span className="muted">({f.destination.type})</span> : null}
              </td>
              <td>
                <Num n={f.queued} href={href()} label={`queued ${what}`} />
              </td>
              <td>{count(f.sent)}</td>
              <td>
                <Num n={f.acknowledged} href={href("succeeded")} label={`acknowledged ${what}`} />
              </td>
              <td>{count(f.deadReasons.platform_rejected)}</td>
              <td>{count(f.deadReasons.unmatchable)}</td>
              <td>
                <Num n={f.dead} href={href("dead")} label={`dead ${what}`} />
                <DeadReasons funnel={f} />
              </td>
              <td>
                <Num n={f.skipped} href={href("skipped")} label={`skipped ${what}`} />
              </td>
              <td>{count(f.unsettled)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
