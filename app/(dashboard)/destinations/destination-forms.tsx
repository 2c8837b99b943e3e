"use client";
import { useRouter } from "next/navigation";
// Create / edit a destination (settings as JSON, secrets as write-only fields) and send a test event.
import { useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { FormAlert, TextField } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { DESTINATION_TYPES, destinationCreateSchema, destinationUpdateSchema } from "@/lib/validations/delivery";

interface Existing {
  id: string;
  type: string;
  name: string;
  enabled: boolean;
  test_mode: boolean;
  config: Record<string, unknown>;
  secrets_set: string[];
}

export function DestinationEditor({ destination }: { destination?: Existing }) {
  const form = useApiForm(
    destination ? destinationUpdateSchema : destinationCreateSchema,
    destination ? "PATCH" : "POST",
    destination ? `/api/destinations/${destination.id}` : "/api/destinations",
  );
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    let config: unknown;
    try {
      config = JSON.parse(String(data.get("config") || "{}"));
    } catch {
      form.setError("Settings must be valid JSON.");
      return;
    }
    const secrets: Record<string, string> = {};
    for (const line of String(data.get("secrets") ?? "").split("\n")) {
      const [k, ...v] = line.split("=");
      if (k?.trim() && v.join("=").trim()) secrets[k.trim()] = v.join("=").trim();
    }
    const body = {
      ...(destination ? {} : { type: String(data.get("type")) }),
      name: String(data.get("name") ?? ""),
      config,
      ...(Object.keys(secrets).length || !destination ? { secrets } : {}),
      enabled: data.get("enabled") === "on",
      test_mode: data.get("test_mode") === "on",
    };
    if (await form.submit(body)) setDone("Saved.");
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={form.error} success={done} />
      {destination ? null : (
        <label>
          Type
          <select name="type" defaultValue="webhook">
            {DESTINATION_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
      )}
      <TextField label="Name" name="name" defaultValue={destination?.name ?? ""} errors={form.errors} />
      <label>
        Settings (JSON)
        <textarea name="config" rows={5} defaultValue={JSON.stringify(destination?.config ?? {}, null, 2)} />
        {Object.entries(form.errors)
          .filter(([k]) => k.startsWith("config"))
          .map(([k, m]) => (
            <span key={k} className="field-error">
              {k}: {m}
            </span>
          ))}
      </label>
      <label>
        Secrets (write-only, one <code>name=value</code> per line
        {destination?.secrets_set.length ? `; set: ${destination.secrets_set.join(", ")}` : ""})
        <textarea name="secrets" rows={2} autoComplete="off" placeholder="access_token=…" />
        <small>
          Google Ads and LinkedIn access tokens expire: give <code>client_id</code>, <code>client_secret</code> and{" "}
          <code>refresh_token</code> instead and TrackLayer mints them as needed. Changing where a destination sends
          (the host of <code>base_url</code>, <code>token_url</code> or a webhook&apos;s <code>url</code>) takes an
          admin and every secret entered again here.
        </small>
        {Object.entries(form.errors)
          .filter(([k]) => k.startsWith("secrets"))
          .map(([k, m]) => (
            <span key={k} className="field-error">
              {k}: {m}
            </span>
          ))}
      </label>
      <label className="inline">
        <input type="checkbox" name="enabled" defaultChecked={destination?.enabled ?? false} /> Enabled
      </label>
      <label className="inline">
        <input type="checkbox" name="test_mode" defaultChecked={destination?.test_mode ?? true} /> Test mode (test event
        codes, debug endpoints)
      </label>
      <button className="primary" type="submit" disabled={form.pending}>
        {destination ? "Save" : "Create destination"}
      </button>
    </form>
  );
}

export function TestEventButton({ id }: { id: string }) {
  const router = useRouter();
  const [result, setResult] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <div>
      <button
        type="button"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          const r = await callApi("POST", `/api/destinations/${id}/test`);
          setPending(false);
          setError(r.ok ? null : r.error.message);
          setResult(r.ok ? r.data : null);
          router.refresh();
        }}
      >
        {pending ? "Sending…" : "Send test event"}
      </button>
      <FormAlert error={error} />
      {result ? <pre data-testid="test-result">{JSON.stringify(result, null, 2)}</pre> : null}
    </div>
  );
}
