"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { FormAlert } from "@/components/ui/form-bits";

export function RetryButton({ id, queued }: { id: string; queued: boolean }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  return (
    <>
      <button
        type="button"
        className="primary"
        disabled={queued}
        onClick={async () => {
          const r = await callApi("POST", `/api/deliveries/${id}/retry`);
          setMessage(r.ok ? { success: "Re-queued: the worker sends it within seconds." } : { error: r.error.message });
          router.refresh();
        }}
      >
        {queued ? "Queued" : "Retry now"}
      </button>
      <FormAlert error={message.error} success={message.success} />
    </>
  );
}

export function ReplayForm({ destinations }: { destinations: { id: string; name: string }[] }) {
  const router = useRouter();
  const [count, setCount] = useState<number | null>(null);
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  const [filter, setFilter] = useState({
    destination: "",
    statuses: ["dead"] as ("dead" | "retrying")[],
    error_contains: "",
  });
  // A changed filter invalidates the dry-run count shown for the previous one.
  const changeFilter = (change: Partial<typeof filter>) => {
    setFilter({ ...filter, ...change });
    setCount(null);
  };
  const body = (dry: boolean) => ({
    ...(filter.destination ? { destination: filter.destination } : {}),
    statuses: filter.statuses,
    ...(filter.error_contains ? { error_contains: filter.error_contains } : {}),
    dry_run: dry,
  });
  return (
    <div className="form">
      <FormAlert error={message.error} success={message.success} />
      <label>
        Destination
        <select value={filter.destination} onChange={(e) => changeFilter({ destination: e.target.value })}>
          <option value="">All</option>
          {destinations.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Error contains
        <input value={filter.error_contains} onChange={(e) => changeFilter({ error_contains: e.target.value })} />
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={filter.statuses.includes("retrying")}
          onChange={(e) => changeFilter({ statuses: e.target.checked ? ["dead", "retrying"] : ["dead"] })}
        />{" "}
        include deliveries still retrying
      </label>
      <div className="row">
        <button
          type="button"
          onClick={async () => {
            const r = await callApi<{ matching: number }>("POST", "/api/deliveries/replay", body(true));
            if (r.ok) setCount(r.data.matching);
            else setMessage({ error: r.error.message });
          }}
        >
          Count (dry run)
        </button>
        {count !== null ? (
          <button
            type="button"
            className="primary"
            disabled={count === 0}
            onClick={async () => {
              const r = await callApi<{ requeued: number }>("POST", "/api/deliveries/replay", body(false));
              setMessage(r.ok ? { success: `Re-queued ${r.data.requeued} deliveries.` } : { error: r.error.message });
              setCount(null);
              router.refresh();
            }}
          >
            Replay {count} deliveries
          </button>
        ) : null}
      </div>
    </div>
  );
}
