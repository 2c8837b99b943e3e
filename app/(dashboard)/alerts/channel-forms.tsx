"use client";
// Alert channels: add one (Slack incoming webhook, e-mail recipients, signed webhook), send a
// test, remove it. Secrets are typed once and never shown again.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FieldError, FormAlert, TextField } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { alertChannelCreateSchema, type ChannelType } from "@/lib/validations/alerts";

function inputFor(type: ChannelType, data: FormData) {
  const text = (k: string) => String(data.get(k) ?? "").trim();
  const base = { type, name: text("name"), notify_reviews: data.get("notify_reviews") === "on" };
  if (type === "slack") return { ...base, secrets: { webhook_url: text("webhook_url") } };
  if (type === "email")
    return {
      ...base,
      config: {
        to: text("to")
          .split(/[,\s]+/)
          .filter(Boolean),
      },
    };
  return { ...base, config: { url: text("url") }, secrets: { signing_secret: text("signing_secret") } };
}

export function ChannelCreateForm() {
  const form = useApiForm(alertChannelCreateSchema, "POST", "/api/alert-channels");
  const [type, setType] = useState<ChannelType>("slack");
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    setDone(null);
    if (await form.submit(inputFor(type, new FormData(el)))) {
      el.reset();
      setDone("Channel added: send a test to check it.");
    }
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Add a channel">
      <FormAlert error={form.error} success={done} />
      <label>
        Type
        <select name="type" value={type} onChange={(e) => setType(e.target.value as ChannelType)}>
          <option value="slack">Slack incoming webhook</option>
          <option value="email">E-mail</option>
          <option value="webhook">Signed webhook</option>
        </select>
      </label>
      <TextField label="Name" name="name" errors={form.errors} />
      {type === "slack" ? (
        <label>
          Slack webhook URL (secret)
          <input name="webhook_url" type="password" autoComplete="off" />
          <FieldError errors={form.errors} name="secrets.webhook_url" />
        </label>
      ) : null}
      {type === "email" ? (
        <label>
          Recipients (comma-separated)
          <input name="to" autoComplete="off" />
          <FieldError errors={form.errors} name="config.to" />
          <FieldError errors={form.errors} name="config.to.0" />
        </label>
      ) : null}
      {type === "webhook" ? (
        <>
          <label>
            Receiver URL
            <input name="url" autoComplete="off" />
            <FieldError errors={form.errors} name="config.url" />
          </label>
          <label>
            Signing secret (16+ characters)
            <input name="signing_secret" type="password" autoComplete="off" />
            <FieldError errors={form.errors} name="secrets.signing_secret" />
          </label>
        </>
      ) : null}
      <label className="row">
        <input type="checkbox" name="notify_reviews" /> Also tell it when a mapping revision awaits review
      </label>
      <button type="submit" disabled={form.pending}>
        Add channel
      </button>
    </form>
  );
}

export function ChannelActions({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [result, setResult] = useState<{ error?: string; success?: string }>({});
  async function test() {
    const r = await callApi<{ ok: boolean; error: string | null }>("POST", `/api/alert-channels/${id}/test`);
    if (!r.ok) setResult({ error: r.error.message });
    else setResult(r.data.ok ? { success: "Test sent." } : { error: `Test failed: ${r.data.error}` });
  }
  return (
    <>
      <button type="button" aria-label={`Send a test to ${name}`} onClick={() => void test()}>
        Test
      </button>
      <ConfirmButton
        aria-label={`Remove ${name}`}
        title={`Remove ${name}?`}
        description="Alerts will no longer be sent to this channel."
        confirm="Remove channel"
        onConfirm={async () => {
          const r = await callApi("DELETE", `/api/alert-channels/${id}`);
          if (r.ok) router.refresh();
          else setResult({ error: r.error.message });
        }}
      >
        Remove
      </ConfirmButton>
      <FormAlert error={result.error} success={result.success} />
    </>
  );
}
