// Alerts: what is firing now (snooze for admins, growth and engineers; mute for admins and growth),
// the history of transitions, the rules with their thresholds (editable by admins and growth) and
// the channels.
import type { Metadata } from "next";
import Link from "next/link";
import { FiringAlerts } from "@/components/alerts/firing-alerts";
import { EmptyState } from "@/components/ui/form-bits";
import { alertHistory, listAlerts, type NotificationView } from "@/lib/alerts/manage-alerts";
import { listAlertChannels } from "@/lib/alerts/manage-channels";
import { listAlertRules } from "@/lib/alerts/manage-rules";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { alertHistoryQuerySchema } from "@/lib/validations/alerts";
import { AlertActions } from "./alert-actions";
import { ChannelActions, ChannelCreateForm } from "./channel-forms";
import { RuleForm } from "./rule-form";

export const metadata: Metadata = { title: "Alerts" };

const when = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** One channel's part of a transition: sent, failed with its answer, or still being tried. */
function notificationText(n: NotificationView): string {
  if (n.status === "sent") return `${n.name}: sent`;
  if (n.status === "failed") return `${n.name}: failed (${n.error ?? "?"})`;
  const tried = n.attempts ? `, ${n.attempts} ${n.attempts === 1 ? "try" : "tries"} so far: ${n.error ?? "?"}` : "";
  return `${n.name}: ${n.status === "pending" ? "queued" : "retrying"}${tried}`;
}

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requirePageActor();
  const manage = can(actor.role, "alert.manage");
  const snooze = can(actor.role, "alert.snooze");
  const parsed = alertHistoryQuerySchema.safeParse({ per_page: 25, ...(await searchParams) });
  const query = parsed.success ? parsed.data : alertHistoryQuerySchema.parse({ per_page: 25 });
  const [firing, history, rules, channels] = await Promise.all([
    listAlerts(actor, { state: "firing" }),
    alertHistory(actor, query),
    listAlertRules(actor),
    manage ? listAlertChannels(actor) : Promise.resolve(null),
  ]);
  return (
    <>
      <h1>Alerts</h1>
      <p className="muted">
        The worker checks these rules every minute against the hourly counts. A rule notifies every channel once when it
        starts firing and once when it resolves, with reminders while it keeps firing.
      </p>
      <FiringAlerts
        alerts={firing.rows}
        canPromote={can(actor.role, "mapping.edit")}
        actions={
          snooze || manage
            ? (a) => (
                <AlertActions
                  id={a.id}
                  title={a.title}
                  snoozed={Boolean(a.snoozed_until)}
                  muted={a.muted}
                  canSnooze={snooze}
                  canMute={manage}
                />
              )
            : undefined
        }
      />
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {history.rows.length === 0 ? (
          <EmptyState>Nothing has fired yet.</EmptyState>
        ) : (
          <table aria-label="Alert history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Alert</th>
                <th scope="col">Notified</th>
              </tr>
            </thead>
            <tbody>
              {history.rows.map((e) => {
                const sent = e.deliveries;
                return (
                  <tr key={e.id}>
                    <td>{when(e.created_at)}</td>
                    <td>
                      {e.kind}
                      {e.actor ? <span className="muted"> by {e.actor}</span> : null}
                    </td>
                    <th scope="row">{e.message}</th>
                    <td>{sent.length === 0 ? "—" : sent.map(notificationText).join("; ")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {history.next_cursor ? (
          <Link href={`/alerts?cursor=${encodeURIComponent(history.next_cursor)}`}>Older</Link>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="rules-title">
        <h2 id="rules-title">Rules</h2>
        {manage ? null : <p className="muted">Admins and growth change rules.</p>}
        <table aria-label="Alert rules">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Watches</th>
              <th scope="col">Thresholds</th>
            </tr>
          </thead>
          <tbody>
            {rules.rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  {r.name}
                  {r.enabled ? null : <span className="muted"> (off)</span>}
                </th>
                <td>{r.description}</td>
                <td>
                  {manage ? (
                    <details>
                      <summary>Edit {r.name}</summary>
                      <RuleForm rule={r} />
                    </details>
                  ) : (
                    Object.entries(r.params)
                      .map(([k, v]) => `${k} ${v}`)
                      .join(", ")
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {channels ? (
        <section className="panel" aria-labelledby="channels-title">
          <h2 id="channels-title">Channels</h2>
          {channels.rows.length === 0 ? (
            <EmptyState>No channel yet: alerts show here and on the overview only.</EmptyState>
          ) : (
            <table aria-label="Alert channels">
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Type</th>
                  <th scope="col">Sends to</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {channels.rows.map((c) => {
                  const config = c.config as { to?: string[]; url?: string };
                  return (
                    <tr key={c.id}>
                      <th scope="row">
                        {c.name}
                        {c.enabled ? null : <span className="muted"> (off)</span>}
                        {c.notify_reviews ? <span className="muted"> · reviews too</span> : null}
                      </th>
                      <td>{c.type}</td>
                      <td>{config.to?.join(", ") ?? config.url ?? `secret set (${c.secrets_set.join(", ")})`}</td>
                      <td>
                        <ChannelActions id={c.id} name={c.name} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <h3>Add a channel</h3>
          <ChannelCreateForm />
        </section>
      ) : null}
    </>
  );
}
