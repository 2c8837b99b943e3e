"use client";
// The privacy page's interactive parts: file a deletion, suppress an identifier, lift a
// suppression, and refresh the page while a deletion is still running.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FieldError, FormAlert, TextField } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { deletionCreateSchema, suppressionCreateSchema } from "@/lib/validations/privacy";

function KindSelect({ errors }: { errors: Record<string, string> }) {
  return (
    <label>
      Identifier
      <select name="kind" defaultValue="email">
        <option value="email">e-mail</option>
        <option value="user_id">user_id</option>
        <option value="anonymous_id">anonymous_id</option>
      </select>
      <FieldError errors={errors} name="kind" />
    </label>
  );
}

export function FileDeletionForm() {
  const form = useApiForm(deletionCreateSchema, "POST", "/api/privacy/deletions");
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const data = new FormData(el);
    setDone(null);
    const filed = await form.submit({ kind: String(data.get("kind")), value: String(data.get("value") ?? "") });
    if (filed) {
      el.reset();
      setDone("Deletion filed: the person is suppressed now and erased in the background. Follow it below.");
    }
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Erase a person">
      <FormAlert error={form.error} success={done} />
      <KindSelect errors={form.errors} />
      <TextField label="Value" name="value" autoComplete="off" errors={form.errors} />
      <button className="danger" type="submit" disabled={form.pending}>
        Erase this person
      </button>
    </form>
  );
}

export function SuppressForm() {
  const form = useApiForm(suppressionCreateSchema, "POST", "/api/privacy/suppressions");
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const data = new FormData(el);
    setDone(null);
    const input = {
      kind: String(data.get("kind")),
      value: String(data.get("suppress_value") ?? ""),
      reason: String(data.get("reason") ?? ""),
    };
    if (await form.submit(input)) {
      el.reset();
      setDone("Suppressed: this person's later calls are stored without personal data and never delivered.");
    }
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Suppress an identifier">
      <FormAlert error={form.error} success={done} />
      <KindSelect errors={form.errors} />
      <label>
        Value
        <input name="suppress_value" autoComplete="off" />
        <FieldError errors={form.errors} name="value" />
      </label>
      <TextField label="Reason (optional)" name="reason" errors={form.errors} />
      <button type="submit" disabled={form.pending}>
        Suppress
      </button>
    </form>
  );
}

export function LiftSuppressionButton({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <ConfirmButton
        aria-label={`Lift the suppression of ${label}`}
        title="Lift this suppression?"
        description="This person's later calls will be stored and delivered again."
        confirm="Lift suppression"
        onConfirm={async () => {
          const result = await callApi("DELETE", `/api/privacy/suppressions/${id}`);
          if (result.ok) router.refresh();
          else setError(result.error.message);
        }}
      >
        Lift
      </ConfirmButton>
      {error ? <FormAlert error={error} /> : null}
    </>
  );
}

/** Refreshes the page every 2 s while a deletion is still pending or running. */
export function RefreshWhileRunning({ active }: { active: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), 2_000);
    return () => clearInterval(timer);
  }, [active, router]);
  return null;
}
