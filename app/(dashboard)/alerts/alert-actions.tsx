"use client";
// Quieting one alert: snooze it for some hours (or lift the snooze), mute or unmute it — each
// button shown only to the roles that may (alert.snooze, alert.manage).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { FormAlert } from "@/components/ui/form-bits";

export function AlertActions({
  id,
  title,
  snoozed,
  muted,
  canSnooze,
  canMute,
}: {
  id: string;
  title: string;
  snoozed: boolean;
  muted: boolean;
  canSnooze: boolean;
  canMute: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function post(path: string, body: unknown) {
    const result = await callApi("POST", `/api/alerts/${id}/${path}`, body);
    if (result.ok) router.refresh();
    else setError(result.error.message);
  }
  return (
    <>
      {canSnooze ? (
        <button
          type="button"
          aria-label={`${snoozed ? "Lift snooze of" : "Snooze for 4 hours"} ${title}`}
          onClick={() => void post("snooze", { hours: snoozed ? 0 : 4 })}
        >
          {snoozed ? "Lift snooze" : "Snooze 4 h"}
        </button>
      ) : null}
      {canMute ? (
        <button
          type="button"
          aria-label={`${muted ? "Unmute" : "Mute"} ${title}`}
          onClick={() => void post("mute", { muted: !muted })}
        >
          {muted ? "Unmute" : "Mute"}
        </button>
      ) : null}
      {error ? <FormAlert error={error} /> : null}
    </>
  );
}
