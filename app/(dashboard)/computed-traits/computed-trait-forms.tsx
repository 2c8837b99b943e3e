"use client";
import { useRouter } from "next/navigation";
// Define or edit a computed trait (key, name, rule) and delete one; the rule is checked with the
// same zod schema as the API (syntax errors show their column), then by the server (unknown events).
import { useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FieldError, FormAlert, TextField } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import type { ComputedTraitJson } from "@/lib/traits/definitions";
import { computedTraitCreateSchema, computedTraitUpdateSchema } from "@/lib/validations/computed-traits";

export function ComputedTraitEditor({ trait }: { trait?: ComputedTraitJson }) {
  const form = useApiForm(
    trait ? computedTraitUpdateSchema : computedTraitCreateSchema,
    trait ? "PATCH" : "POST",
    trait ? `/api/computed-traits/${trait.id}` : "/api/computed-traits",
  );
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const body = {
      ...(trait ? {} : { key: String(data.get("key") ?? "") }),
      name: String(data.get("name") ?? ""),
      description: String(data.get("description") ?? ""),
      rule: String(data.get("rule") ?? ""),
      enabled: data.get("enabled") === "on",
    };
    if (await form.submit(body))
      setDone(trait ? "Saved; affected profiles are being recomputed." : "Defined; every profile is being computed.");
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={form.error} success={done} />
      {trait ? null : <TextField label="Key" name="key" placeholder="repeat_buyer" errors={form.errors} />}
      <TextField label="Name" name="name" defaultValue={trait?.name ?? ""} errors={form.errors} />
      <label>
        Rule
        <input
          name="rule"
          defaultValue={trait?.rule ?? ""}
          placeholder='purchases_30d >= 2 and plan == "pro"'
          style={{ fontFamily: "monospace" }}
        />
        <FieldError errors={form.errors} name="rule" />
      </label>
      <label>
        Description
        <input name="description" defaultValue={trait?.description ?? ""} />
      </label>
      <label className="inline">
        <input type="checkbox" name="enabled" defaultChecked={trait?.enabled ?? true} /> Enabled
      </label>
      <button className="primary" type="submit" disabled={form.pending}>
        {trait ? "Save" : "Define computed trait"}
      </button>
    </form>
  );
}

export function DeleteComputedTrait({ id, traitKey }: { id: string; traitKey: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <FormAlert error={error} />
      <ConfirmButton
        className=""
        title={`Delete ${traitKey}?`}
        description="Its values are removed from every profile."
        confirm="Delete"
        onConfirm={async () => {
          const r = await callApi("DELETE", `/api/computed-traits/${id}`);
          setError(r.ok ? null : r.error.message);
          router.refresh();
        }}
      >
        Delete {traitKey}
      </ConfirmButton>
    </>
  );
}
