"use client";
import Link from "next/link";
// One event's trace as the inspector shows it: the four checks first, then each stage and one
// lane per destination with every attempt. Refreshes itself while anything is still pending.
import { useEffect, useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { StatusBadge } from "@/components/ui/form-bits";
import type { TraceJson } from "@/lib/inspector/trace";

const REFRESH_MS = 1_000;
const json = (value: unknown) => JSON.stringify(value, null, 2);

export function useTrace(id: string) {
  const [trace, setTrace] = useState<TraceJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function load() {
      const result = await callApi<TraceJson>("GET", `/api/events/${encodeURIComponent(id)}/trace`);
      if (stopped) return;
      if (result.ok) {
        setTrace(result.data);
        setError(null);
        if (result.data.outcome !== "pending") return;
      } else setError(result.error.message);
      timer = setTimeout(() => void load(), REFRESH_MS);
    }
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);
  return { trace, error };
}

export function ChecksList({ checks }: { checks: TraceJson["checks"] }) {
  return (
    <ul className="checks" aria-label="Checks">
      {checks.map((c) => (
        <li key={c.key} data-check={c.key} data-status={c.status}>
          <StatusBadge status={c.status} /> <strong>{c.title}</strong>
          <ul>
            {c.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          {c.fix ? <p className="muted">Fix: {c.fix}</p> : null}
        </li>
      ))}
    </ul>
  );
}

export function EventTrace({ id }: { id: string }) {
  const { trace, error } = useTrace(id);
  if (!trace) return <p className="muted">{error ?? "Loading trace…"}</p>;
  return <TraceView trace={trace} />;
}

export function TraceView({ trace }: { trace: TraceJson }) {
  const { stages } = trace;
  return (
    <section className="trace" aria-label={`Trace of ${trace.event.event_id}`}>
      {trace.personal_masked ? <p className="muted">Personal properties are masked for your role.</p> : null}
      <ChecksList checks={trace.checks} />
      <ol className="stages">
        <li>
          <h3>Received</h3>
          <p className="muted">
            {stages.received.kind} “{stages.received.source_event}” from {trace.event.source ?? "—"} at{" "}
            {new Date(stages.received.at).toLocaleString()}
          </p>
          <pre>{json(stages.received.payload)}</pre>
        </li>
        <li>
          <h3>Mapping</h3>
          {stages.mapping ? (
            <p>
              <Link href={`/mappings/${stages.mapping.id}`}>{stages.mapping.source_event}</Link> →{" "}
              <code>{stages.mapping.revision.canonical_event}</code>, revision {stages.mapping.revision.number}{" "}
              <StatusBadge status={stages.mapping.revision.status} />
              {stages.mapping.renames_applied.map((r) => (
                <span key={r.from} className="muted">
                  {" "}
                  · renamed {r.from} → {r.to}
                </span>
              ))}
            </p>
          ) : (
            <p className="muted">No mapping applied ({trace.event.status}).</p>
          )}
        </li>
        <li>
          <h3>Canonical event</h3>
          <pre>{json(stages.canonical.properties)}</pre>
          {stages.canonical.problems?.length ? (
            <p className="alert error">{stages.canonical.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}</p>
          ) : null}
        </li>
        <li>
          <h3>Identity</h3>
          <p>
            user_id {stages.identity.user_id ?? "—"} · anonymous_id {stages.identity.anonymous_id ?? "—"} · resolved to{" "}
            <strong>{stages.identity.resolved_user_id ?? "nobody yet"}</strong>
            {stages.identity.resolved_via ? ` via ${stages.identity.resolved_via}` : ""}
            {stages.identity.anonymous_linked_to
              ? ` · anonymous_id linked to ${stages.identity.anonymous_linked_to.user_id} by ${stages.identity.anonymous_linked_to.via}`
              : ""}
          </p>
          {stages.identity.conflicts.map((c) => (
            <p key={c.at} className="alert error">
              Conflict at {new Date(c.at).toLocaleString()}: linked to {c.existing_user_id}, claimed by{" "}
              {c.attempted_user_id}
            </p>
          ))}
        </li>
        <li>
          <h3>Dedup</h3>
          <p>
            {stages.dedup.verdict === "first"
              ? "First time this event_id was stored."
              : `Conflicts with the event stored at ${stages.dedup.original?.received_at ?? "?"}.`}
            {stages.dedup.reused_with_different_payload.length
              ? ` Reused with a different payload ${stages.dedup.reused_with_different_payload.length} time(s).`
              : ""}
          </p>
        </li>
        <li>
          <h3>Destinations</h3>
          {stages.destinations.length === 0 ? <p className="muted">No delivery for this event.</p> : null}
          {stages.destinations.map((lane) => (
            <section key={lane.delivery_id} className="lane" aria-label={`Lane ${lane.destination}`}>
              <div className="row">
                <strong>{lane.destination}</strong>{" "}
                <span className="muted">
                  {lane.type}
                  {lane.test_mode ? " · test mode" : ""}
                </span>
                <StatusBadge status={lane.status} />
                <Link href={`/deliveries/${lane.delivery_id}`}>delivery log</Link>
                {lane.ack ? <code>{JSON.stringify(lane.ack)}</code> : null}
                {lane.next_attempt_at ? (
                  <span className="muted">next try {new Date(lane.next_attempt_at).toLocaleTimeString()}</span>
                ) : null}
              </div>
              {lane.log.map((a) => (
                <details key={a.attempt}>
                  <summary>
                    Attempt {a.attempt}: {a.outcome} · HTTP {a.response.status ?? "—"} · {a.latency_ms} ms{" "}
                    {a.reason ? `· ${a.reason}` : ""}
                  </summary>
                  <pre>{`${a.request.url}\n${json(a.request.body)}`}</pre>
                  <pre>{json(a.response.body)}</pre>
                </details>
              ))}
            </section>
          ))}
        </li>
      </ol>
    </section>
  );
}
