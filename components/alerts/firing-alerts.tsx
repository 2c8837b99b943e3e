// Alerts firing now, as the overview and the alerts page show them: what is wrong, since when,
// and for a suspected rename both labels with a "Promote" link to the prefilled mapping form.
import Link from "next/link";
import type { ReactNode } from "react";
import type { AlertView } from "@/lib/alerts/manage-alerts";

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

function Quiet({ alert }: { alert: AlertView }) {
  if (alert.muted) return <span className="badge">muted</span>;
  if (alert.snoozed_until) return <span className="badge">snoozed until {utc(alert.snoozed_until)}</span>;
  return null;
}

export function FiringAlerts({
  alerts,
  canPromote,
  actions,
  headingLevel = 2,
}: {
  alerts: AlertView[];
  canPromote: boolean;
  /** Per alert, the controls a manager has (snooze, mute). */
  actions?: (alert: AlertView) => ReactNode;
  headingLevel?: 2 | 3;
}) {
  const Heading = `h${headingLevel}` as const;
  return (
    <section className="panel" aria-labelledby="firing-alerts-title">
      <Heading id="firing-alerts-title">Firing alerts</Heading>
      {alerts.length === 0 ? (
        <p className="muted">No alert is firing.</p>
      ) : (
        <ul className="alert-list" aria-label="Firing alerts">
          {alerts.map((a) => {
            const promote = typeof a.details.promote === "string" ? a.details.promote : null;
            const link = typeof a.details.link === "string" ? a.details.link : null;
            return (
              <li key={a.id} aria-label={a.title}>
                <strong>{a.title}</strong>{" "}
                <span className="muted">
                  · {a.rule} · since {utc(a.fired_at)}
                </span>{" "}
                <Quiet alert={a} />
                <p>{a.message}</p>
                <div className="row">
                  {promote && canPromote ? (
                    <Link className="button" href={promote} aria-label={`Promote ${String(a.details.new_label)}`}>
                      Promote
                    </Link>
                  ) : null}
                  {link ? <Link href={link}>Details</Link> : null}
                  {actions?.(a)}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
