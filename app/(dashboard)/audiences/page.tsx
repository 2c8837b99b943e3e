import type { Metadata } from "next";
import Link from "next/link";
import { TableScroll } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/form-bits";
import { audienceOverview } from "@/lib/audiences/audience-status";
import { getHeapIntegration } from "@/lib/audiences/heap/integration";
import { audienceDestinationChoices } from "@/lib/audiences/manage-audiences";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { AudienceCreateForm, HeapSetupButton } from "./audience-forms";
import { DestinationStatusList, when } from "./destination-status";

export const metadata: Metadata = { title: "Audiences" };

export default async function AudiencesPage() {
  const actor = await requirePageActor();
  const manage = can(actor.role, "audience.manage");
  const admin = can(actor.role, "workspace.settings");
  const [rows, choices, heap] = await Promise.all([
    audienceOverview(actor),
    audienceDestinationChoices(actor),
    admin ? getHeapIntegration(actor) : null,
  ]);
  return (
    <>
      <h1>Audiences</h1>
      <p className="muted">
        Cohorts (from Heap or pushed with a write key) and the ad platforms they are synced to. Match rate = members a
        platform can match / members.
      </p>
      {manage ? (
        <details className="panel">
          <summary>New audience</summary>
          <AudienceCreateForm choices={choices} />
        </details>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState>No audiences yet.</EmptyState>
      ) : (
        <TableScroll>
          <table aria-label="Audiences">
            <thead>
              <tr>
                <th>Audience</th>
                <th>Members</th>
                <th>Last sync</th>
                <th>Destinations</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link href={`/audiences/${a.key}`}>{a.name}</Link>
                    <div className="muted">
                      {a.key}
                      {a.source_cohort ? ` · ${a.source_cohort}` : ""}
                    </div>
                  </td>
                  <td>{a.members}</td>
                  <td>{when(a.last_sync_at, "never")}</td>
                  <td>
                    <DestinationStatusList rows={a.destination_status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {heap ? (
        <section className="panel" aria-label="Heap segment sync">
          <h2>Heap segment sync</h2>
          <p className="muted">
            Heap posts segment membership here; each segment becomes the audience whose source cohort is
            heap:segment:&lt;id&gt; (created if none).
          </p>
          {heap.configured ? (
            <dl className="facts">
              <dt>Webhook URL</dt>
              <dd>
                <code>{heap.webhook_path}</code> (on this host)
              </dd>
              <dt>Signing secret</dt>
              <dd>
                <code className="secret">{heap.secret}</code>
              </dd>
              <dt>Heap id is</dt>
              <dd>{heap.identity_kind}</dd>
            </dl>
          ) : null}
          <HeapSetupButton configured={heap.configured} />
        </section>
      ) : null}
    </>
  );
}
