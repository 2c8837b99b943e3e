"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi, fieldErrors } from "@/components/ui/api-client";
import { EmptyState, FormAlert } from "@/components/ui/form-bits";

interface Destination {
  id: string;
  name: string;
  type: string;
  enabled: boolean;
  on: boolean;
  /** This mapping's platform event name there; null uses the destination's default. */
  eventName: string | null;
  /** False for platforms that send conversion ids instead of event names. */
  supportsEventName: boolean;
}

export function DestinationToggles({
  mappingId,
  destinations,
  canToggle,
}: {
  mappingId: string;
  destinations: Destination[];
  canToggle: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  async function patch(id: string, toggle: boolean | { event_name: string | null }) {
    const result = await callApi("PATCH", `/api/mappings/${mappingId}`, { destinations: { [id]: toggle } });
    const issues = result.ok ? {} : fieldErrors(result.error.issues);
    setError(result.ok ? null : [result.error.message, ...Object.values(issues)].join(": "));
    setSaved(result.ok && typeof toggle !== "boolean" ? "Event name saved." : null);
    router.refresh();
  }
  if (destinations.length === 0) return <EmptyState>No destinations in this workspace yet.</EmptyState>;
  return (
    <div className="panel">
      <FormAlert error={error} success={saved} />
      {destinations.map((d) => (
        <div key={d.id} className="row">
          <label className="inline">
            <input
              type="checkbox"
              checked={d.on}
              disabled={!canToggle}
              onChange={(e) => void patch(d.id, e.target.checked)}
              aria-label={`Send to ${d.name}`}
            />
            {d.name} <span className="muted">({d.type})</span>
          </label>
          {d.enabled ? null : (
            <span className={d.on ? "field-error" : "muted"} role={d.on ? "note" : undefined}>
              {d.on
                ? `${d.name} is switched off: nothing is sent there until it is switched on (Destinations).`
                : "switched off"}
            </span>
          )}
          {d.supportsEventName ? (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                const value = String(new FormData(e.currentTarget).get("event_name") ?? "").trim();
                void patch(d.id, { event_name: value || null });
              }}
            >
              <input
                name="event_name"
                defaultValue={d.eventName ?? ""}
                placeholder="destination default"
                disabled={!canToggle}
                aria-label={`Event name at ${d.name}`}
              />
              {canToggle ? <button type="submit">Save name</button> : null}
            </form>
          ) : null}
        </div>
      ))}
      {canToggle ? (
        <p className="muted">
          An event name here beats the destination&apos;s event_names setting and the platform&apos;s standard name;
          leave it empty for the default.
        </p>
      ) : (
        <p className="muted">Growth members and admins decide which destinations receive this mapping.</p>
      )}
    </div>
  );
}
