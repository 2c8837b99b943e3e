"use client";
// One alert rule's settings: on/off, its thresholds (one number field each) and the reminder
// interval, saved with PATCH /api/alert-rules/{id}; the server checks thresholds per kind.
import { useState } from "react";
import { FieldError, FormAlert } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import type { AlertRuleView } from "@/lib/alerts/manage-rules";
import { alertRuleUpdateSchema } from "@/lib/validations/alerts";

const label = (key: string) => key.replaceAll("_", " ").replace("pct", "%");

export function RuleForm({ rule }: { rule: AlertRuleView }) {
  const form = useApiForm(alertRuleUpdateSchema, "PATCH", `/api/alert-rules/${rule.id}`);
  const [saved, setSaved] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setSaved(null);
    const params = Object.fromEntries(Object.keys(rule.params).map((k) => [k, Number(data.get(`params.${k}`))]));
    const ok = await form.submit({
      enabled: data.get("enabled") === "on",
      params,
      reminder_hours: Number(data.get("reminder_hours")),
    });
    if (ok) setSaved(`Saved ${rule.name}.`);
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label={`Edit ${rule.name}`}>
      <FormAlert error={form.error} success={saved} />
      <label className="row">
        <input type="checkbox" name="enabled" defaultChecked={rule.enabled} /> Enabled
      </label>
      {Object.entries(rule.params).map(([key, value]) => (
        <label key={key}>
          {label(key)}
          <input type="number" name={`params.${key}`} defaultValue={value} step="any" />
          <FieldError errors={form.errors} name={`params.${key}`} />
        </label>
      ))}
      <label>
        Remind every (hours, 0 = never)
        <input type="number" name="reminder_hours" defaultValue={rule.reminder_hours} min={0} />
        <FieldError errors={form.errors} name="reminder_hours" />
      </label>
      <button type="submit" disabled={form.pending}>
        Save rule
      </button>
    </form>
  );
}
