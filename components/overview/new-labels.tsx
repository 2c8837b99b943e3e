// "New this week": unmapped source-event labels first seen in the last 7 days, busiest first —
// promotion candidates, each with a link to the prefilled mapping form.
import Link from "next/link";
import { count, utc } from "@/components/overview/format";
import { TableScroll } from "@/components/ui/card";
import type { NewLabel } from "@/lib/metrics/event-volume";

const promoteHref = (l: NewLabel) =>
  `/mappings/new?${new URLSearchParams({ ...(l.source ? { source: l.source } : {}), source_event: l.sourceEvent })}`;

export function NewLabels({ labels, canPromote }: { labels: NewLabel[]; canPromote: boolean }) {
  return (
    <section className="panel" aria-labelledby="new-labels-title">
      <h2 id="new-labels-title">New this week</h2>
      {labels.length === 0 ? (
        <p className="muted">No new unmapped labels in the last 7 days.</p>
      ) : (
        <TableScroll>
          <table>
            <caption className="muted">Unmapped labels first seen in the last 7 days, with their volume since.</caption>
            <thead>
              <tr>
                <th scope="col">Source event</th>
                <th scope="col">Source</th>
                <th scope="col">Events</th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
                {canPromote ? <th scope="col">Action</th> : null}
              </tr>
            </thead>
            <tbody>
              {labels.map((l) => (
                <tr key={`${l.source}:${l.sourceEvent}`}>
                  <th scope="row">{l.sourceEvent}</th>
                  <td>{l.source ?? "—"}</td>
                  <td>{count(l.count)}</td>
                  <td>{utc(l.firstSeenAt)}</td>
                  <td>{utc(l.lastSeenAt)}</td>
                  {canPromote ? (
                    <td>
                      {l.source ? (
                        <Link className="button" href={promoteHref(l)} aria-label={`Promote ${l.sourceEvent}`}>
                          Promote
                        </Link>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
