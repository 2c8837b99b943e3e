// One deletion request's receipt as a list: per step, when it finished, counts per table and
// each platform's answer.
import type { Receipt } from "@/lib/privacy/receipt";
import { STEPS } from "@/lib/privacy/receipt";

const STEP_LABELS: Record<(typeof STEPS)[number], string> = {
  suppress: "Suppressed",
  audiences: "Removed from synced audiences",
  destinations: "Deletion APIs (HubSpot, Heap)",
  erase_audiences: "Audience memberships erased",
  erase_events: "Events and delivery logs scrubbed",
  erase_profiles: "Profile, identities and traits erased",
};

export function ReceiptView({ receipt }: { receipt: Receipt }) {
  return (
    <ol className="receipt">
      {STEPS.map((step) => {
        const entry = receipt.steps?.[step];
        return (
          <li key={step}>
            <strong>{STEP_LABELS[step]}</strong>{" "}
            {entry ? (
              <span className="muted">
                — {entry.status} at {new Date(entry.at).toISOString().replace("T", " ").slice(0, 19)} UTC
              </span>
            ) : (
              <span className="muted">— not yet</span>
            )}
            {entry?.counts ? (
              <div>
                {Object.entries(entry.counts)
                  .map(([k, v]) => `${k.replaceAll("_", " ")}: ${v}`)
                  .join(" · ")}
              </div>
            ) : null}
            {entry?.results?.length ? (
              <ul>
                {entry.results.map((r) => (
                  <li key={r.key}>
                    {r.target}: {r.outcome}
                    {r.status !== null ? ` (HTTP ${r.status})` : ""}
                    {r.message ? <span className="muted"> — {r.message}</span> : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
