"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FieldError, FormAlert, SecretOnce, TextField } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { sourceCreateSchema, writeKeyCreateSchema } from "@/lib/validations/sources";
import { KeySnippets } from "./key-snippets";

export function NewSourceForm() {
  const form = useApiForm(sourceCreateSchema, "POST", "/api/sources");
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const data = new FormData(el);
    const saved = await form.submit({
      key: String(data.get("key") ?? ""),
      name: String(data.get("name") ?? ""),
      description: String(data.get("description") ?? ""),
    });
    if (saved) {
      setDone("Source created.");
      el.reset();
    }
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={form.error} success={done} />
      <label>
        Key (sent as <code>source</code>)
        <input name="key" placeholder="segment" />
        <FieldError errors={form.errors} name="key" />
      </label>
      <TextField label="Name" name="name" errors={form.errors} />
      <label>
        Description
        <input name="description" />
      </label>
      <button className="primary" type="submit" disabled={form.pending}>
        Create source
      </button>
    </form>
  );
}

export function NewWriteKeyForm({
  sourceId,
  sourceKey,
  origin,
  otherSources,
}: {
  sourceId: string;
  sourceKey: string;
  origin: string;
  otherSources: string[];
}) {
  const form = useApiForm<typeof writeKeyCreateSchema, { key: string; prefix: string }>(
    writeKeyCreateSchema,
    "POST",
    `/api/sources/${sourceId}/keys`,
  );
  const [created, setCreated] = useState<{ key: string; prefix: string } | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const saved = await form.submit({
      name: String(data.get("name") ?? ""),
      allowed_sources: data.getAll("allowed_sources").map(String),
    });
    if (saved) setCreated({ key: saved.key, prefix: saved.prefix });
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={form.error} />
      <SecretOnce what="key" value={created?.key ?? null} />
      {created ? (
        <KeySnippets origin={origin} keyRef={{ key: created.key, prefix: created.prefix, source: sourceKey }} />
      ) : null}
      <TextField label="Name" name="name" placeholder="Production backend" errors={form.errors} />
      {otherSources.length ? (
        <fieldset>
          <legend>May also send for</legend>
          {otherSources.map((k) => (
            <label key={k} className="inline">
              <input type="checkbox" name="allowed_sources" value={k} /> {k}
            </label>
          ))}
        </fieldset>
      ) : null}
      <button className="primary" type="submit" disabled={form.pending}>
        Create write key
      </button>
    </form>
  );
}

export function RevokeKeyButton({ sourceId, keyId, prefix }: { sourceId: string; keyId: string; prefix: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function revoke() {
    const result = await callApi("DELETE", `/api/sources/${sourceId}/keys/${keyId}`);
    if (!result.ok) setError(result.error.message);
    router.refresh();
  }
  return (
    <>
      <ConfirmButton
        title={`Revoke ${prefix}…?`}
        description="Clients using this key get 401 from now on. This cannot be undone."
        confirm="Revoke"
        onConfirm={revoke}
      >
        Revoke
      </ConfirmButton>
      {error ? <span className="field-error">{error}</span> : null}
    </>
  );
}
