"use client";
// "Validate with GA4 debug": a sample purchase, or a stored event by its event_id, checked by GA4's debug endpoint.
import { useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { FormAlert } from "@/components/ui/form-bits";

interface Result {
  verdict: "valid" | "invalid" | "unreachable";
  validation_messages: { fieldPath?: string; description?: string; validationCode?: string }[];
  event: { event_id: string; sample: boolean };
  response: { status?: number; error?: string };
}

export function Ga4ValidateButton({ id }: { id: string }) {
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const eventId = String(new FormData(e.currentTarget).get("event_id") ?? "").trim();
    setPending(true);
    const r = await callApi<Result>("POST", `/api/destinations/${id}/validate`, eventId ? { event_id: eventId } : {});
    setPending(false);
    setError(r.ok ? null : r.error.message);
    setResult(r.ok ? r.data : null);
  }
  return (
    <form className="row" onSubmit={onSubmit} style={{ marginTop: ".6rem" }}>
      <input name="event_id" placeholder="event_id (empty: a sample purchase)" aria-label="Event to validate" />
      <button type="submit" disabled={pending}>
        {pending ? "Validating…" : "Validate with GA4 debug"}
      </button>
      <FormAlert error={error} />
      {result ? (
        <div role="status" aria-label="GA4 validation result">
          {result.verdict === "valid" ? (
            <p>GA4 says {result.event.sample ? "the sample event" : `event ${result.event.event_id}`} is valid.</p>
          ) : result.verdict === "unreachable" ? (
            <p className="field-error">
              The GA4 debug endpoint did not answer with validation messages (
              {result.response.error ?? `HTTP ${result.response.status}`}).
            </p>
          ) : (
            <ul>
              {result.validation_messages.map((m) => (
                <li key={`${m.fieldPath}-${m.validationCode}-${m.description}`}>
                  <code>{m.validationCode}</code> {m.fieldPath}: {m.description}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </form>
  );
}
