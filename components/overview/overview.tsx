// The overview (home page for every role): what arrived, what was accepted, what reached each
// platform and what is new — numbers rendered on the server, each chart beside its table.
import Link from "next/link";
import type { ReactNode } from "react";
import { FiringAlerts } from "@/components/alerts/firing-alerts";
import { DestinationsHealth } from "@/components/overview/destinations-health";
import { NewLabels } from "@/components/overview/new-labels";
import { VolumeSection } from "@/components/overview/volume-section";
import type { AlertView } from "@/lib/alerts/manage-alerts";
import type { Overview as OverviewData } from "@/lib/metrics/overview";
import { OVERVIEW_PERIODS, type OverviewPeriod } from "@/lib/validations/metrics";
import { count, percent } from "./format";

const PERIOD_LABELS: Record<OverviewPeriod, string> = { "24h": "24 hours", "7d": "7 days", "30d": "30 days" };

export const overviewHref = (period: OverviewPeriod, canonicalEvent?: string) =>
  `/?${new URLSearchParams({ period, ...(canonicalEvent ? { canonical_event: canonicalEvent } : {}) })}`;

/** `children` (the first-run checklist) stands right under the heading; firing alerts come before the numbers. */
export function Overview({
  data,
  alerts,
  canPromote,
  now,
  children,
}: {
  data: OverviewData;
  alerts: AlertView[];
  canPromote: boolean;
  now: Date;
  children?: ReactNode;
}) {
  const t = data.volume.totals;
  const total = t.accepted + t.held + t.unmapped + t.rejected + t.duplicate_conflict + (t.suppressed ?? 0);
  const focus = data.focus?.name;
  return (
    <>
      <div className="spread">
        <h1>Overview</h1>
        <nav aria-label="Period" className="row">
          {OVERVIEW_PERIODS.map((p) => (
            <Link
              key={p}
              className="button"
              href={overviewHref(p, focus)}
              aria-current={p === data.period ? "page" : undefined}
            >
              {PERIOD_LABELS[p]}
            </Link>
          ))}
        </nav>
      </div>
      {children}
      {alerts.length > 0 ? <FiringAlerts alerts={alerts} canPromote={canPromote} /> : null}
      <p className="muted">
        Last {PERIOD_LABELS[data.period]}
        {focus ? (
          <>
            {" "}
            · canonical event <strong>{focus}</strong> · <Link href={overviewHref(data.period)}>all events</Link>
          </>
        ) : (
          " · all events"
        )}
        . Counts are kept by the worker and trail arrivals by a few seconds.
      </p>
      <dl className="facts" aria-label="Totals">
        <dt>Received</dt>
        <dd>{count(total)}</dd>
        <dt>Accepted</dt>
        <dd>{count(t.accepted)}</dd>
        <dt>Held</dt>
        <dd>{count(t.held)}</dd>
        <dt>Unmapped</dt>
        <dd>{count(t.unmapped)}</dd>
        <dt>Rejected</dt>
        <dd>{count(t.rejected)}</dd>
        <dt>Conflicts</dt>
        <dd>{count(t.duplicate_conflict)}</dd>
        <dt>Suppressed</dt>
        <dd>{count(t.suppressed ?? 0)}</dd>
        <dt>Violation rate</dt>
        <dd>{percent(t.accepted + t.held + t.rejected ? t.rejected / (t.accepted + t.held + t.rejected) : null)}</dd>
      </dl>
      <VolumeSection data={data} />
      <DestinationsHealth data={data} now={now} />
      <NewLabels labels={data.newLabels} canPromote={canPromote} />
    </>
  );
}
