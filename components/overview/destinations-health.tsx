// Each destination's delivery health over the period: success rate over time (chart) and, as a
// table, attempts by outcome, success rate, p50/p95 latency, backlog and its oldest row's age.
import Link from "next/link";
import { RateChart } from "@/components/overview/charts";
import { age, count, ms, percent, pointLabel } from "@/components/overview/format";
import { TableScroll } from "@/components/ui/card";
import type { Overview } from "@/lib/metrics/overview";

export function DestinationsHealth({ data, now }: { data: Overview; now: Date }) {
  const destinations = data.destinations;
  const labels = data.volume.points.map((p) => pointLabel(p.t, data.stepHours));
  const rates = labels.map((label, i) => ({
    label,
    ...Object.fromEntries(
      destinations.map((d) => {
        const rate = d.points[i]?.successRate ?? null;
        return [d.id, rate === null ? null : Math.round(rate * 1000) / 10];
      }),
    ),
  }));
  return (
    <section className="panel" aria-labelledby="delivery-title">
      <h2 id="delivery-title">Delivery</h2>
      {destinations.length === 0 ? (
        <p className="muted">
          No destinations yet: <Link href="/destinations">add one</Link>.
        </p>
      ) : (
        <>
          <RateChart
            data={rates}
            series={destinations.map((d) => ({ key: d.id, name: d.name }))}
            title="Delivery success rate per destination"
          />
          <TableScroll>
            <table>
              <caption className="muted">
                Attempts in the period. Success rate: sent among attempts that reached an end or a retry. Latency from
                fixed buckets (an upper bound).
              </caption>
              <thead>
                <tr>
                  <th scope="col">Destination</th>
                  <th scope="col">Sent</th>
                  <th scope="col">Retrying</th>
                  <th scope="col">Dead</th>
                  <th scope="col">Skipped</th>
                  <th scope="col">Success rate</th>
                  <th scope="col">p50</th>
                  <th scope="col">p95</th>
                  <th scope="col">Backlog</th>
                  <th scope="col">Oldest pending</th>
                </tr>
              </thead>
              <tbody>
                {destinations.map((d) => (
                  <tr key={d.id}>
                    <th scope="row">
                      {d.name} <span className="muted">({d.type})</span>
                    </th>
                    <td>{count(d.sent)}</td>
                    <td>{count(d.retrying)}</td>
                    <td>
                      <Link href={`/deliveries?destination=${d.id}&status=dead`}>{count(d.dead)}</Link>
                    </td>
                    <td>{count(d.skipped)}</td>
                    <td>{percent(d.successRate)}</td>
                    <td>{ms(d.p50Ms)}</td>
                    <td>{ms(d.p95Ms)}</td>
                    <td>
                      {count(d.backlog)}
                      {d.backlogCapped ? "+" : ""}
                    </td>
                    <td>{age(d.oldestPendingAt, now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}
