"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { callApi } from "@/components/ui/api-client";
import { EmptyState, FormAlert } from "@/components/ui/form-bits";

interface Destination {
  id: string;
  name: string;
  type: string;
  enabled: boolean;
  on: boolean;
}

export function DestinationToggles({ mappingId, destinations, canToggle }: { mappingId: string; destinations: Destination[]; canToggle: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function toggle(id: string, on: boolean) {
    const result = await callApi("PATCH", `/api/mappings/${mappingId}`, { destinations: { [id]: on } });
    setError(result.ok ? null : result.error.message);
    router.refresh();
  }
  if (destinations.length === 0) return <EmptyState>No destinations in this workspace yet.</EmptyState>;
  return (
    <div className="panel">
      <FormAlert error={error} />
      {destinations.map((d) => (
        <label key={d.id} className="inline">
          <input type="checkbox" checked={d.on} disabled={!canToggle} onChange={(e) => void toggle(d.id, e.target.checked)} aria-label={`Send to ${d.name}`} />
          {d.name} <span className="muted">({d.type}{d.enabled ? "" : ", destination disabled"})</span>
        </label>
      ))}
      {canToggle ? null : <p className="muted">Growth members and admins decide which destinations receive this mapping.</p>}
    </div>
  );
}
