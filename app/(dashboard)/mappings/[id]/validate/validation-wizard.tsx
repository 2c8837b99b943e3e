"use client";
import Link from "next/link";
// The guided validation: 1) a test write key and the exact curl, 2) wait for the event live,
// 3) walk its trace, 4) the four checks, recorded on the mapping once every destination answered.
import { useEffect, useMemo, useState } from "react";
import { ChecksList, TraceView, useTrace } from "@/components/inspector/event-trace";
import { callApi } from "@/components/ui/api-client";
import { FormAlert, StatusBadge } from "@/components/ui/form-bits";
import { curlFor, validationSample } from "@/lib/inspector/validation-sample";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";

interface Props {
  mapping: { id: string; sourceId: string; source: string; sourceEvent: string };
  revision: {
    number: number;
    status: string;
    canonicalEvent: string;
    required: string[];
    renames: Record<string, string>;
  };
  definitions: PropertyDefinition[];
  destinations: { name: string; type: string; ready: boolean; note: string }[];
  knownUser: string;
  origin: string;
  canValidate: boolean;
}

type Recorded = { outcome: string; validated_at: string } | { error: string };

export function ValidationWizard({
  mapping,
  revision,
  definitions,
  destinations,
  knownUser,
  origin,
  canValidate,
}: Props) {
  const [nonce] = useState(() => Math.random().toString(36).slice(2, 10));
  const [userId, setUserId] = useState(knownUser);
  const [key, setKey] = useState<string | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const sample = useMemo(
    () =>
      validationSample({
        source: mapping.source,
        sourceEvent: mapping.sourceEvent,
        canonicalEvent: revision.canonicalEvent,
        required: revision.required,
        renames: revision.renames,
        definitions,
        userId,
        nonce,
      }),
    [mapping, revision, definitions, userId, nonce],
  );

  async function createKey() {
    const result = await callApi<{ key: string }>("POST", `/api/sources/${mapping.sourceId}/keys`, {
      name: `validation ${mapping.sourceEvent} ${nonce}`,
      test: true,
    });
    if (result.ok) setKey(result.data.key);
    else setKeyError(result.error.message);
  }

  async function sendFromBrowser() {
    const response = await fetch("/api/capture", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(sample.body),
    });
    setSent(`HTTP ${response.status}: ${await response.text()}`);
  }

  const ready = destinations.filter((d) => d.ready);
  return (
    <>
      <section className="panel" aria-label="Step 1: send one event">
        <h2 style={{ marginTop: 0 }}>1 · Send one event</h2>
        <p>
          Revision #{revision.number} <StatusBadge status={revision.status} /> → <code>{revision.canonicalEvent}</code>,
          for user{" "}
          <input aria-label="user_id" value={userId} onChange={(e) => setUserId(e.target.value.trim() || knownUser)} />
          {sample.businessKey ? (
            <>
              {" "}
              with {sample.businessKey} <code>{sample.businessId}</code>
            </>
          ) : null}
          .
        </p>
        <p className="muted">
          Destinations reached:{" "}
          {destinations.length === 0
            ? "none enabled on this mapping — enable one in test mode first"
            : destinations.map((d) => `${d.name} (${d.note})`).join(", ")}
          {destinations.length > 0 && ready.length === 0
            ? " — no destination is in test mode, so nothing will be delivered"
            : ""}
        </p>
        {canValidate && !key ? (
          <button type="button" onClick={() => void createKey()}>
            Create a test write key
          </button>
        ) : null}
        <FormAlert error={keyError} />
        {key ? <p role="status">Test write key created (shown once, reaches test-mode destinations only).</p> : null}
        <section aria-label="curl">
          <pre>{curlFor(origin, key, sample.body)}</pre>
        </section>
        {key ? (
          <button type="button" onClick={() => void sendFromBrowser()}>
            Send it from the browser
          </button>
        ) : null}
        {sent ? <p className="muted">{sent}</p> : null}
      </section>
      <WaitAndCheck mappingId={mapping.id} eventId={sample.eventId} canValidate={canValidate} />
    </>
  );
}

function WaitAndCheck({
  mappingId,
  eventId,
  canValidate,
}: {
  mappingId: string;
  eventId: string;
  canValidate: boolean;
}) {
  const { trace } = useTrace(eventId);
  const [recorded, setRecorded] = useState<Recorded | null>(null);
  const final = trace && trace.outcome !== "pending";
  useEffect(() => {
    if (!final || recorded || !canValidate) return;
    void callApi<{ outcome: string; validated_at: string }>("POST", `/api/mappings/${mappingId}/validations`, {
      event_id: eventId,
    }).then((r) => setRecorded(r.ok ? r.data : { error: r.error.message }));
  }, [final, recorded, canValidate, mappingId, eventId]);

  return (
    <>
      <section className="panel" aria-label="Step 2: watch it arrive">
        <h2 style={{ marginTop: 0 }}>2 · Watch it cross every hop</h2>
        {trace ? <TraceView trace={trace} /> : <p role="status">Waiting for event {eventId}… run the curl above.</p>}
      </section>
      <section className="panel" aria-label="Step 3: result">
        <h2 style={{ marginTop: 0 }}>3 · Result</h2>
        {!trace ? <p className="muted">Appears once the event arrives.</p> : null}
        {trace && !final ? <p role="status">Waiting for every destination to answer…</p> : null}
        {final ? (
          <>
            <p>
              <StatusBadge status={trace.outcome} />{" "}
              {trace.outcome === "pass"
                ? "All four checks are green: this mapping is proven end to end."
                : "Fix each red check below, then validate again."}
            </p>
            <ChecksList checks={trace.checks.filter((c) => c.status !== "pass")} />
            {recorded && "outcome" in recorded ? (
              <p role="status">
                Recorded on the mapping: validation {recorded.outcome} at{" "}
                {new Date(recorded.validated_at).toLocaleString()}.{" "}
                <Link href={`/mappings/${mappingId}`}>Back to the mapping</Link>
              </p>
            ) : null}
            {recorded && "error" in recorded ? <FormAlert error={recorded.error} /> : null}
          </>
        ) : null}
      </section>
    </>
  );
}
