"use client";
// "Send test event": one synthetic purchase in test mode, answered readably — accepted or refused, the
// platform's own message, and links to where the attempt is logged.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi, fieldErrors } from "@/components/ui/api-client";
import { Badge } from "@/components/ui/badge";
import { FormAlert } from "@/components/ui/form-bits";

interface TestResult {
  outcome: "success" | "retry" | "permanent";
  reason: string;
  ack: Record<string, unknown> | null;
  request: unknown;
  response: { status: number; body: unknown } | { error: string };
  latency_ms: number;
}

/** The platform's own words from its answer: an error message, GA4's validation messages, or the body text. */
export function platformMessage(response: TestResult["response"]): string {
  if ("error" in response) return response.error;
  const body = response.body;
  if (typeof body === "string") return body.slice(0, 300) || "(empty body)";
  if (!body || typeof body !== "object") return "(empty body)";
  const b = body as Record<string, unknown>;
  const error = b.error as Record<string, unknown> | string | undefined;
  if (typeof error === "string") return error;
  if (error && typeof error.message === "string") return error.message;
  if (typeof b.message === "string") return b.message;
  return JSON.stringify(body).slice(0, 300);
}

const VERDICT: Record<TestResult["outcome"], { text: string; badge: string }> = {
  success: { text: "accepted", badge: "approved" },
  permanent: { text: "refused", badge: "rejected" },
  retry: { text: "not accepted (temporary, a delivery would retry)", badge: "in_review" },
};

export function TestEventButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function sendTest() {
    setPending(true);
    const r = await callApi<TestResult>("POST", `/api/destinations/${id}/test`);
    setPending(false);
    if (r.ok) {
      setError(null);
      setResult(r.data);
    } else {
      const issues = Object.entries(fieldErrors(r.error.issues)).map(([path, message]) => `${path}: ${message}`);
      setError([r.error.message, ...issues].join(" — "));
      setResult(null);
    }
    router.refresh();
  }
  const verdict = result ? VERDICT[result.outcome] : null;
  return (
    <div>
      <button type="button" disabled={pending} onClick={() => void sendTest()}>
        {pending ? "Sending…" : "Send test event"}
      </button>
      <FormAlert error={error} />
      <div aria-live="polite">
        {result && verdict ? (
          <section className="panel" aria-label={`Test event result for ${name}`} data-testid="test-result">
            <p>
              <Badge status={verdict.badge}>{verdict.text}</Badge>{" "}
              {"status" in result.response ? `HTTP ${result.response.status}` : "no answer"} in {result.latency_ms} ms
            </p>
            <dl className="facts">
              <dt>Platform said</dt>
              <dd>{platformMessage(result.response)}</dd>
              {result.outcome === "success" ? null : (
                <>
                  <dt>Why</dt>
                  <dd>{result.reason}</dd>
                </>
              )}
              {result.ack && Object.keys(result.ack).length ? (
                <>
                  <dt>Acknowledgement</dt>
                  <dd>
                    {Object.entries(result.ack)
                      .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
                      .join(" · ")}
                  </dd>
                </>
              ) : null}
            </dl>
            <p>
              <Link href={`/audit?entity_type=destination&entity_id=${id}`}>Test event log entry</Link> ·{" "}
              <Link href={`/deliveries?destination=${id}`}>Delivery log of {name}</Link>
            </p>
            <details>
              <summary>Request and response as sent (credentials redacted)</summary>
              <pre>{JSON.stringify({ request: result.request, response: result.response }, null, 2)}</pre>
            </details>
          </section>
        ) : null}
      </div>
    </div>
  );
}
