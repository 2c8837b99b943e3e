// One field description per destination setting (label, help, where the value comes from, secret or not,
// group): the dashboard's typed destination form is drawn from these. Pure data; a test keeps it in step
// with each module's config and secrets schemas.
import { AD_PLATFORM_FORMS } from "@/lib/delivery/destinations/form-fields-ads";
import { OTHER_FORMS } from "@/lib/delivery/destinations/form-fields-other";
import type { DestinationForm } from "@/lib/delivery/destinations/form-fields-shared";
import type { DestinationType } from "@/lib/generated/prisma/enums";

export type {
  DestinationField,
  DestinationForm,
  FieldGroup,
  FieldKind,
} from "@/lib/delivery/destinations/form-fields-shared";

export const DESTINATION_FORMS: Record<DestinationType, DestinationForm> = { ...AD_PLATFORM_FORMS, ...OTHER_FORMS };

/** Parses a map field's lines ("key = value" or "key: value"); blank lines are skipped. */
export function parseMapLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*([^=:]+?)\s*[=:]\s*(.+?)\s*$/.exec(line);
    if (match?.[1] && match[2]) out[match[1]] = match[2];
  }
  return out;
}

/** A map setting as the field shows it: one "key = value" per line. */
export function mapToLines(value: unknown): string {
  if (!value || typeof value !== "object") return "";
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join("\n");
}
