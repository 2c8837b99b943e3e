import type { Metadata } from "next";
import Link from "next/link";
import { RateChart } from "@/components/overview/charts";
import { pointLabel } from "@/components/overview/format";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/form-bits";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listMappingsByDestination, type MappingUse } from "@/lib/delivery/destination-usage";
import { apiVersionOf } from "@/lib/delivery/destinations/api-version";
import { DESTINATION_FORMS } from "@/lib/delivery/destinations/form-fields";
import { listDestinations } from "@/lib/delivery/manage-destinations";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { destinationHealth } from "@/lib/metrics/delivery-health";
import { periodWindow } from "@/lib/metrics/period";
import { DestinationEditor } from "./destination-forms";
import { Ga4ValidateButton } from "./ga4-validate";
import { TestEventButton } from "./test-event";

export const metadata: Metadata = { title: "Destinations" };

/** The live API version a Meta or LinkedIn destination calls (config.api_version, else the default). */
function ApiVersionFact({ type, config }: { type: DestinationType; config: Record<string, unknown> }) {
  const v = apiVersionOf(type, config);
  if (!v) return null;
  return (
    <>
      <dt>API version</dt>
      <dd>
        {v.version}{" "}
        <span className="muted">
          {v.isDefault ? "(default; set the API version under Advanced settings to pin)" : "(config.api_version)"}
        </span>
      </dd>
    </>
  );
}

/** The mappings whose toggle sends here, and a word when the destination is off so nothing goes out. */
function UsedBy({ uses, enabled }: { uses: MappingUse[]; enabled: boolean }) {
  if (!uses.length) return <span className="muted">no mapping sends here yet (tick it on a mapping)</span>;
  return (
    <>
      {uses.map((m, i) => (
        <span key={m.id}>
          {i ? ", " : ""}
          <Link href={`/mappings/${m.id}`}>
            {m.source} · {m.sourceEvent}
          </Link>{" "}
          <span className="muted">({m.status.replace("_", " ")})</span>
        </span>
      ))}
      {enabled ? null : <span className="field-error"> — switched off: none of these is sent here</span>}
    </>
  );
}

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);
/** From the rollups' latency buckets: the bucket's upper bound. */
const p95 = (ms: number | null) => (ms === null ? "— ms" : `≤ ${ms} ms`);

export default async function DestinationsPage() {
  const actor = await requirePageActor();
  const window = periodWindow("24h");
  const [{ rows }, uses, health] = await Promise.all([
    listDestinations(actor),
    listMappingsByDestination(actor),
    destinationHealth(actor, window),
  ]);
  const trendOf = (id: string) =>
    health
      .find((h) => h.id === id)
      ?.points.map((p) => ({
        label: pointLabel(p.t, window.stepHours),
        success: p.successRate === null ? null : Math.round(p.successRate * 1000) / 10,
      }));
  const manage = can(actor.role, "destination.manage");
  return (
    <>
      <h1>Destinations</h1>
      <p className="muted">
        Where approved canonical events go. Credentials are encrypted at rest and never shown again after saving.
      </p>
      {manage ? (
        <details className="panel">
          <summary>New destination</summary>
          <DestinationEditor />
        </details>
      ) : null}
      {rows.length === 0 ? <EmptyState>No destinations yet.</EmptyState> : null}
      {rows.map((d) => (
        <section key={d.id} className="panel" aria-label={`Destination ${d.name}`}>
          <div className="spread">
            <h2 style={{ margin: 0 }}>
              {d.name} <span className="muted">({DESTINATION_FORMS[d.type].label})</span>
            </h2>
            <span className="row">
              <Badge status={d.enabled ? "approved" : "deprecated"}>{d.enabled ? "enabled" : "disabled"}</Badge>
              {d.test_mode ? <Badge status="in_review">test mode</Badge> : null}
            </span>
          </div>
          <dl className="facts">
            <dt>Used by</dt>
            <dd>
              <UsedBy uses={uses.get(d.id) ?? []} enabled={d.enabled} />
            </dd>
            <dt>Backlog</dt>
            <dd>
              <Link href={`/deliveries?destination=${d.id}&status=retrying`}>
                {d.health?.backlog ?? 0}
                {d.health?.backlog_capped ? "+" : ""} queued
              </Link>{" "}
              ·{" "}
              <Link href={`/deliveries?destination=${d.id}&status=dead`}>
                {d.health?.dead ?? 0}
                {d.health?.dead_capped ? "+" : ""} dead
              </Link>
            </dd>
            <dt>Last 24 h</dt>
            <dd>
              success {pct(d.health?.success_rate_24h ?? null)} · p95 {p95(d.health?.p95_latency_ms_24h ?? null)}
            </dd>
            <dt>Success, last 24 h</dt>
            <dd>
              <RateChart
                data={trendOf(d.id) ?? []}
                series={[{ key: "success", name: "success rate" }]}
                title={`${d.name}: delivery success rate per hour, last 24 hours`}
              />
            </dd>
            <dt>Last error</dt>
            <dd>{d.health?.last_error ?? "none"}</dd>
            <ApiVersionFact type={d.type} config={d.config} />
            <dt>Secrets set</dt>
            <dd>{d.secrets_set.join(", ") || "none"}</dd>
          </dl>
          {manage ? (
            <>
              <TestEventButton id={d.id} name={d.name} />
              {d.type === "ga4" ? <Ga4ValidateButton id={d.id} /> : null}
              <details style={{ marginTop: ".6rem" }}>
                <summary>Edit {d.name}</summary>
                <DestinationEditor destination={d} />
              </details>
            </>
          ) : null}
        </section>
      ))}
    </>
  );
}
