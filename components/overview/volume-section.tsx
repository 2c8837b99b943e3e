// Event volume over time split by status, the violation-rate trend, and each canonical event's
// counts (a link focuses the charts on it) — each chart with its numbers as a table.
import Link from "next/link";
import { RateChart, VolumeChart } from "@/components/overview/charts";
import { count, percent, pointLabel } from "@/components/overview/format";
import { TableScroll } from "@/components/ui/card";
import type { Overview } from "@/lib/metrics/overview";

export function VolumeSection({ data }: { data: Overview }) {
  const points = data.volume.points.map((p) => ({ ...p, label: pointLabel(p.t, data.stepHours) }));
  const rates = points.map((p) => ({
    label: p.label,
    violations: p.violationRate === null ? null : Math.round(p.violationRate * 1000) / 10,
  }));
  const busy = points.filter((p) => p.accepted + p.held + p.unmapped + p.rejected + p.duplicate_conflict > 0);
  return (
    <>
      <section className="panel" aria-labelledby="volume-title">
        <h2 id="volume-title">Volume by status</h2>
        <VolumeChart data={points} title="Events per period by status" />
        <details>
          <summary>Volume as a table ({busy.length} periods with events)</summary>
          <TableScroll>
            <table>
              <caption className="muted">Events per period by status (periods without events left out)</caption>
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col">Accepted</th>
                  <th scope="col">Held</th>
                  <th scope="col">Unmapped</th>
                  <th scope="col">Rejected</th>
                  <th scope="col">Conflicts</th>
                  <th scope="col">Violation rate</th>
                </tr>
              </thead>
              <tbody>
                {busy.map((p) => (
                  <tr key={p.t}>
                    <th scope="row">{p.label}</th>
                    <td>{count(p.accepted)}</td>
                    <td>{count(p.held)}</td>
                    <td>{count(p.unmapped)}</td>
                    <td>{count(p.rejected)}</td>
                    <td>{count(p.duplicate_conflict)}</td>
                    <td>{percent(p.violationRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </details>
      </section>
      <section className="panel" aria-labelledby="violations-title">
        <h2 id="violations-title">Violation rate</h2>
        <p className="muted">Rejected among the events a mapping covers (accepted, held or rejected), per period.</p>
        <RateChart data={rates} series={[{ key: "violations", name: "violation rate" }]} title="Violation rate trend" />
      </section>
      <section className="panel" aria-labelledby="canonical-title">
        <h2 id="canonical-title">Canonical events</h2>
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th scope="col">Canonical event</th>
                <th scope="col">Total</th>
                <th scope="col">Accepted</th>
                <th scope="col">Held</th>
                <th scope="col">Rejected</th>
                <th scope="col">Violation rate</th>
              </tr>
            </thead>
            <tbody>
              {data.events.map((e) => (
                <tr key={e.id} aria-current={data.focus?.id === e.id ? "true" : undefined}>
                  <th scope="row">
                    <Link href={`/?${new URLSearchParams({ period: data.period, canonical_event: e.name })}`}>
                      {e.name}
                    </Link>
                  </th>
                  <td>{count(e.total)}</td>
                  <td>{count(e.accepted)}</td>
                  <td>{count(e.held)}</td>
                  <td>{count(e.rejected)}</td>
                  <td>{percent(e.violationRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>
    </>
  );
}
