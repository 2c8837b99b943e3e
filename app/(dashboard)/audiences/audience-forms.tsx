"use client";
import { useRouter } from "next/navigation";
// Define an audience / change its destinations (each with the platform's audience id), and set up Heap segment sync.
import { useState } from "react";
import { FieldError, FormAlert, TextField } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import {
  type AudienceDestinationSetting,
  audienceCreateSchema,
  audienceUpdateSchema,
} from "@/lib/validations/audiences";

export interface DestinationChoice {
  id: string;
  name: string;
  type: string;
}

function DestinationFields({
  choices,
  current,
  errors,
}: {
  choices: DestinationChoice[];
  current: AudienceDestinationSetting[];
  errors: Record<string, string>;
}) {
  if (choices.length === 0)
    return (
      <p className="muted">No Meta, Google Ads, LinkedIn or webhook destinations yet: add one under Destinations.</p>
    );
  return (
    <fieldset>
      <legend>Destinations</legend>
      {choices.map((d, i) => {
        const setting = current.find((c) => c.destination_id === d.id);
        return (
          <div key={d.id} className="row">
            <label>
              <input type="checkbox" name={`dest:${d.id}`} defaultChecked={setting?.enabled ?? false} /> Send to{" "}
              {d.name} ({d.type})
            </label>
            {d.type === "webhook" ? null : (
              <label>
                {d.name} audience id
                <input name={`aid:${d.id}`} defaultValue={setting?.audience_id ?? ""} inputMode="numeric" />
              </label>
            )}
            <FieldError errors={errors} name={`destinations.${i}.audience_id`} />
          </div>
        );
      })}
    </fieldset>
  );
}

function destinationsFrom(data: FormData, choices: DestinationChoice[], current: AudienceDestinationSetting[]) {
  return choices.flatMap((d) => {
    const enabled = data.get(`dest:${d.id}`) === "on";
    const audienceId = String(data.get(`aid:${d.id}`) ?? "").trim();
    if (!enabled && !current.some((c) => c.destination_id === d.id)) return [];
    return [{ destination_id: d.id, enabled, ...(audienceId ? { audience_id: audienceId } : {}) }];
  });
}

export function AudienceCreateForm({ choices }: { choices: DestinationChoice[] }) {
  const form = useApiForm(audienceCreateSchema, "POST", "/api/audiences");
  const router = useRouter();
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const cohort = String(data.get("source_cohort") ?? "").trim();
    const body = {
      key: String(data.get("key") ?? ""),
      name: String(data.get("name") ?? ""),
      description: String(data.get("description") ?? ""),
      ...(cohort ? { source_cohort: cohort } : {}),
      destinations: destinationsFrom(data, choices, []),
    };
    const created = await form.submit(body);
    if (created) router.push(`/audiences/${body.key}`);
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={form.error} />
      <TextField label="Key" name="key" placeholder="stalled-checkout" errors={form.errors} />
      <TextField label="Name" name="name" errors={form.errors} />
      <label>
        Description
        <input name="description" />
      </label>
      <TextField label="Source cohort (optional, e.g. heap:segment:1234)" name="source_cohort" errors={form.errors} />
      <DestinationFields choices={choices} current={[]} errors={form.errors} />
      <button type="submit" disabled={form.pending}>
        Create audience
      </button>
    </form>
  );
}

export function AudienceDestinationsForm({
  audienceKey,
  choices,
  current,
}: {
  audienceKey: string;
  choices: DestinationChoice[];
  current: AudienceDestinationSetting[];
}) {
  const form = useApiForm(audienceUpdateSchema, "PATCH", `/api/audiences/${audienceKey}`);
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setDone(null);
    if (await form.submit({ destinations: destinationsFrom(new FormData(e.currentTarget), choices, current) }))
      setDone("Saved.");
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={form.error} success={done} />
      <DestinationFields choices={choices} current={current} errors={form.errors} />
      <button type="submit" disabled={form.pending}>
        Save destinations
      </button>
    </form>
  );
}

export function HeapSetupButton({ configured }: { configured: boolean }) {
  const form = useApiForm(null, "POST", "/api/integrations/heap");
  return (
    <>
      <FormAlert error={form.error} />
      <button
        type="button"
        disabled={form.pending}
        onClick={() => void form.submit({ identity_kind: "user_id", rotate_secret: configured })}
      >
        {configured ? "Rotate secret" : "Set up Heap segment sync"}
      </button>
    </>
  );
}
