import type { Metadata } from "next";
import Link from "next/link";
import { MappingForm } from "@/components/mapping-form";
import { ReviewEvidence } from "@/components/review-evidence";
import { StatusBadge } from "@/components/ui/form-bits";
import { orNotFound, requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { destinationModules } from "@/lib/delivery/destinations";
import { getMappingViolations } from "@/lib/events/violations";
import { mappingEvidence } from "@/lib/registry/mappings/evidence";
import { getMapping } from "@/lib/registry/mappings/get-mapping";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";
import { canonicalEventChoices, currentWorkspace, destinationChoices, sourceChoices } from "@/lib/workspace/choices";
import { DestinationToggles } from "./destination-toggles";
import { MappingActions } from "./mapping-actions";
import { RevisionHistory } from "./revision-history";
import { ViolationsPanel } from "./violations-panel";

export const metadata: Metadata = { title: "Mapping" };

interface PageProps {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ revision?: string }>;
}

export default async function MappingPage({ params, searchParams }: PageProps) {
  const actor = await requirePageActor();
  const { id } = await params;
  const mapping = await orNotFound(getMapping(actor, id));
  // Evidence for the revision asked for in the address, else the head revision (the one under review).
  const asked = Number((await searchParams).revision);
  const shown = mapping.revisions.find((r) => r.number === asked) ?? mapping.revisions[0]!;
  const [workspace, destinations, sources, canonicalEvents, violations, evidence] = await Promise.all([
    currentWorkspace(actor),
    destinationChoices(actor),
    sourceChoices(actor),
    canonicalEventChoices(actor),
    getMappingViolations(actor, mapping.id),
    mappingEvidence(actor, mapping.id, shown.number),
  ]);
  const head = mapping.head_revision!;
  const live = mapping.live_revision;
  const editable = can(actor.role, "mapping.edit") && mapping.status !== "deprecated";
  return (
    <>
      <p className="muted">
        <Link href="/mappings">← Mappings</Link>
      </p>
      <div className="spread">
        <h1>
          {mapping.source} · “{mapping.source_event}” → <code>{mapping.canonical_event}</code>
        </h1>
        <StatusBadge status={mapping.status} />
      </div>
      <div className="panel">
        <dl className="facts">
          <dt>Live revision</dt>
          <dd>
            {live
              ? `#${live.number} → ${live.canonical_event}, required: ${live.required_properties.join(", ") || "none"}`
              : "none — nothing is delivered until a revision is approved"}
          </dd>
          <dt>Latest revision</dt>
          <dd>
            #{head.number} <StatusBadge status={head.status} /> by {head.created_by?.email ?? "unknown"}
            {head.submitted_by ? ` · submitted by ${head.submitted_by.email}` : ""}
            {head.review_comment ? ` · review: “${head.review_comment}”` : ""}
          </dd>
          <dt>Four-eyes</dt>
          <dd>{workspace.requireFourEyes ? "on — the submitter cannot approve" : "off"}</dd>
          <dt>End-to-end validation</dt>
          <dd>
            {mapping.last_validation ? (
              <>
                <StatusBadge status={mapping.last_validation.outcome === "passed" ? "pass" : "fail"} />{" "}
                {mapping.last_validation.outcome} on {new Date(mapping.last_validation.validated_at).toLocaleString()}{" "}
                by {mapping.last_validation.validated_by ?? "unknown"} with event{" "}
                <code>{mapping.last_validation.event_id}</code>
                {mapping.last_validation.covers_head ? "" : " (an earlier revision)"}
              </>
            ) : (
              "never validated"
            )}
            {workspace.requireValidation ? " · approval requires a passed validation of the revision" : ""} ·{" "}
            <Link href={`/mappings/${mapping.id}/validate`}>Validate one event end to end →</Link>
          </dd>
        </dl>
      </div>
      <h2 id="evidence">
        Review evidence · revision #{shown.number} → <code>{shown.canonical_event}</code>
        {shown.number === head.number ? null : (
          <>
            {" "}
            <Link href={`/mappings/${mapping.id}#evidence`}>(show the latest)</Link>
          </>
        )}
      </h2>
      <ReviewEvidence
        evidence={evidence}
        thresholdPct={shown.status === "in_review" ? workspace.approvalRejectionThresholdPct : undefined}
      />
      <MappingActions
        mappingId={mapping.id}
        status={mapping.status}
        headStatus={head.status}
        permissions={{
          submit: can(actor.role, "mapping.submit"),
          approve: can(actor.role, "mapping.approve"),
          reject: can(actor.role, "mapping.reject"),
          deprecate: can(actor.role, "mapping.deprecate"),
        }}
        blockedByFourEyes={workspace.requireFourEyes && head.submitted_by?.id === actor.userId}
      />
      <h2>Destinations</h2>
      <DestinationToggles
        mappingId={mapping.id}
        canToggle={can(actor.role, "mapping.toggleDestination")}
        destinations={destinations.map((d) => {
          const toggle = mapping.destinations.find((m) => m.id === d.id);
          return {
            ...d,
            on: Boolean(toggle?.enabled),
            eventName: toggle?.event_name ?? null,
            supportsEventName: Boolean(destinationModules[d.type].eventNameProblem),
          };
        })}
      />
      <h2>Violations</h2>
      <ViolationsPanel mappingId={mapping.id} violations={violations} />
      {editable ? (
        <>
          <h2>Edit</h2>
          <details className="panel">
            <summary>
              {head.status === "approved" || head.status === "rejected"
                ? "Edit (creates a new draft revision; the live one stays in force until approved)"
                : "Edit the draft"}
            </summary>
            <MappingForm
              sources={sources}
              canonicalEvents={canonicalEvents.map((c) => ({
                name: c.name,
                properties: c.properties as PropertyDefinition[],
              }))}
              mapping={{
                id: mapping.id,
                source: mapping.source,
                source_event: mapping.source_event,
                canonical_event: head.canonical_event,
                required_properties: head.required_properties,
                property_renames: head.property_renames,
                note: head.note,
              }}
            />
          </details>
        </>
      ) : null}
      <h2>Revision history</h2>
      <RevisionHistory mappingId={mapping.id} revisions={mapping.revisions} liveId={live?.id ?? null} />
      <p className="muted">
        <Link href={`/audit?entity_id=${mapping.id}`}>Audit trail of this mapping →</Link>
      </p>
    </>
  );
}
