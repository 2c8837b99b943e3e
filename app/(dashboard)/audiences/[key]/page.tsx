import type { Metadata } from "next";
import { TableScroll } from "@/components/ui/card";
import { EmptyState, StatusBadge } from "@/components/ui/form-bits";
import { audienceDetail, lookupMember } from "@/lib/audiences/audience-status";
import { audienceDestinationChoices } from "@/lib/audiences/manage-audiences";
import { orNotFound, requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { AudienceDestinationsForm } from "../audience-forms";
import { matchRate, when } from "../destination-status";

export const metadata: Metadata = { title: "Audience" };

async function load(actor: Awaited<ReturnType<typeof requirePageActor>>, key: string) {
  return orNotFound(audienceDetail(actor, key));
}

export default async function AudiencePage({
  params,
  searchParams,
}: {
  params: Promise<{ key: string }>;
  searchParams: Promise<{ member?: string }>;
}) {
  const actor = await requirePageActor();
  const { key } = await params;
  const { member } = await searchParams;
  const audience = await load(actor, key);
  const manage = can(actor.role, "audience.manage");
  const [lookup, choices] = await Promise.all([
    member?.trim() ? lookupMember(actor, key, member.trim()) : null,
    audienceDestinationChoices(actor),
  ]);
  return (
    <>
      <h1>{audience.name}</h1>
      <p className="muted">{audience.description}</p>
      <dl className="facts">
        <dt>Key</dt>
        <dd>
          <code>{audience.key}</code>
        </dd>
        <dt>Source cohort</dt>
        <dd>{audience.source_cohort ?? "—"}</dd>
        <dt>Members</dt>
        <dd data-testid="member-count">{audience.members}</dd>
        <dt>Last sync</dt>
        <dd>{when(audience.last_sync_at)}</dd>
      </dl>

      <h2>Destinations</h2>
      {audience.destination_status.length === 0 ? (
        <EmptyState>Not sent anywhere yet.</EmptyState>
      ) : (
        <TableScroll>
          <table aria-label="Destination status">
            <thead>
              <tr>
                <th>Destination</th>
                <th>Status</th>
                <th>Match rate</th>
                <th>Last synced</th>
                <th>Queued</th>
                <th>Last error</th>
              </tr>
            </thead>
            <tbody>
              {audience.destination_status.map((d) => (
                <tr key={d.destination_id}>
                  <td>
                    {d.destination}{" "}
                    <span className="muted">
                      ({d.type}
                      {d.audience_id ? ` · ${d.audience_id}` : ""})
                    </span>
                  </td>
                  <td>
                    <StatusBadge status={d.enabled ? d.status : "off"} />
                  </td>
                  <td>{matchRate(d)}</td>
                  <td>{when(d.last_synced_at)}</td>
                  <td>{d.backlog}</td>
                  <td>{d.last_error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {manage ? (
        <details className="panel">
          <summary>Edit destinations</summary>
          <AudienceDestinationsForm audienceKey={audience.key} choices={choices} current={audience.destinations} />
        </details>
      ) : null}

      <section className="panel" aria-label="Member lookup">
        <h2>Member lookup</h2>
        <form className="row" method="get">
          <label>
            user_id or anonymous_id
            <input name="member" defaultValue={member ?? ""} />
          </label>
          <button type="submit">Look up</button>
        </form>
        {lookup ? (
          <p data-testid="member-lookup">
            {lookup.is_member ? `${lookup.lookup} is a member` : `${lookup.lookup} is not a member`}
            {lookup.matches.length ? ` (as ${lookup.matches.map((m) => `${m.kind} ${m.value}`).join(", ")})` : ""}
            {lookup.profile ? ` · profile ${lookup.profile.user_id}` : ""}
          </p>
        ) : null}
      </section>

      <h2>Syncs</h2>
      {audience.syncs.length === 0 ? (
        <EmptyState>No membership received yet.</EmptyState>
      ) : (
        <TableScroll>
          <table aria-label="Syncs">
            <thead>
              <tr>
                <th>When</th>
                <th>Via</th>
                <th>Adds</th>
                <th>Removes</th>
                <th>Sent to</th>
              </tr>
            </thead>
            <tbody>
              {audience.syncs.map((s) => (
                <tr key={s.id}>
                  <td>{when(s.created_at)}</td>
                  <td>
                    {s.via}
                    {s.request_ref ? <span className="muted"> · {s.request_ref}</span> : null}
                  </td>
                  <td>+{s.adds}</td>
                  <td>−{s.removes}</td>
                  <td>
                    {s.deliveries.length === 0
                      ? "—"
                      : s.deliveries.map((d) => (
                          <div key={d.id}>
                            {d.destination}: <StatusBadge status={d.status} /> {d.full ? "full " : ""}sent +
                            {d.sent_adds} −{d.sent_removes}
                            {d.unmatchable ? `, ${d.unmatchable} unmatchable` : ""}
                            {d.last_error ? <span className="muted"> · {d.last_error}</span> : null}
                          </div>
                        ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      {audience.initial_syncs.length ? (
        <>
          <h2>Full syncs after a destination was switched on</h2>
          <ul aria-label="Full syncs">
            {audience.initial_syncs.map((d) => (
              <li key={d.id}>
                {d.destination}: <StatusBadge status={d.status} /> sent +{d.sent_adds}
                {d.unmatchable ? `, ${d.unmatchable} unmatchable` : ""} · {when(d.delivered_at)}
                {d.last_error ? <span className="muted"> · {d.last_error}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {audience.errors.length ? (
        <>
          <h2>Recent errors</h2>
          <ul aria-label="Recent errors">
            {audience.errors.map((e) => (
              <li key={`${e.at}-${e.destination}-${e.attempt}`}>
                {when(e.at)} · {e.destination} · attempt {e.attempt} · {e.status ?? "no answer"}: {e.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
