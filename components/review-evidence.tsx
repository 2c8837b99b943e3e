// Review evidence: what the source event's recent events carry and what a revision would do to them.

import { TableScroll } from "@/components/ui/card";
import type { Evidence } from "@/lib/registry/mappings/evidence";

const showExample = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

interface Props {
  evidence: Evidence;
  /** The workspace's approval threshold, to say when approving needs a confirmation. */
  thresholdPct?: number;
  label?: string;
}

export function ReviewEvidence({ evidence, thresholdPct, label = "Review evidence" }: Props) {
  const { dry_run: run } = evidence;
  const scope = `${evidence.sampled.toLocaleString("en")} most recent of ${evidence.total_capped ? "more than " : ""}${evidence.total.toLocaleString("en")} events in the last ${evidence.window_days} days`;
  return (
    <section className="panel" aria-label={label}>
      <p className="muted" style={{ marginTop: 0 }}>
        Sampled: {scope}.
        {Object.keys(evidence.stored_as).length
          ? ` As they arrived they were ${Object.entries(evidence.stored_as)
              .map(([status, pct]) => `${status} ${pct} %`)
              .join(", ")}.`
          : null}
      </p>
      {run ? (
        <section aria-label="Dry run">
          {run.events === 0 ? (
            <p>No recent events to dry-run against {run.canonical_event}.</p>
          ) : (
            <>
              <p>
                <strong>
                  {run.revision ? `Revision #${run.revision}` : "This mapping"} would accept {run.accept_pct} % and
                  reject {run.reject_pct} % of the {run.events.toLocaleString("en")} sampled events.
                </strong>
                {thresholdPct !== undefined && run.reject_pct > thresholdPct
                  ? ` That is over this workspace's ${thresholdPct} % threshold: approving it needs a confirmation.`
                  : null}
              </p>
              {run.causes.length ? (
                <ul aria-label="Rejection causes">
                  {run.causes.map((c) => (
                    <li key={`${c.code}:${c.property}`}>
                      {c.label}: {c.pct} %
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          )}
        </section>
      ) : null}
      {evidence.properties.length ? (
        <TableScroll>
          <table aria-label="Observed properties">
            <thead>
              <tr>
                <th scope="col">Property</th>
                <th scope="col">Present</th>
                <th scope="col">Types</th>
                <th scope="col">Examples</th>
              </tr>
            </thead>
            <tbody>
              {evidence.properties.map((p) => (
                <tr key={p.name}>
                  <td>
                    <code>{p.name}</code>
                  </td>
                  <td>{p.presence_pct} %</td>
                  <td>
                    {Object.entries(p.types)
                      .map(([type, n]) => (Object.keys(p.types).length > 1 ? `${type} (${n})` : type))
                      .join(", ")}
                  </td>
                  <td>
                    {p.examples.map((e, i) => (
                      <span key={`${typeof e}:${showExample(e)}`}>
                        {i ? ", " : ""}
                        <code>{showExample(e)}</code>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        <p className="muted">No properties observed on recent events.</p>
      )}
    </section>
  );
}
