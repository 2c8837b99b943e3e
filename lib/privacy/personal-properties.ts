// Personal properties: canonical event properties marked `personal` in the registry are masked
// where people who need not see them would — event properties, payload and context for the
// viewer role; delivery-log request and response bodies for everyone below admin (they carry
// what was sent, often hashed, but webhooks and HubSpot receive values as they are). Masking
// is by name in an event's properties and by value everywhere else (a payload or a platform's
// body spells the same value under its own key).
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import type { PropertyDefinition } from "@/lib/validations/value-rules";

export const PERSONAL_MASK = "•••• (personal)";

/** Who sees personal values: events (API, explorer, inspector) all but viewers; delivery logs admins only. */
export function seesPersonal(role: Role, where: "event" | "delivery_log"): boolean {
  return where === "event" ? role !== "viewer" : role === "admin";
}

/** The personal property names of each canonical event (by id). */
export function personalNamesById(events: { id: string; properties: unknown }[]): Map<string, Set<string>> {
  return new Map(
    events.map((e) => [
      e.id,
      new Set(((e.properties ?? []) as PropertyDefinition[]).filter((p) => p.personal).map((p) => p.name)),
    ]),
  );
}

/** The values of an event's personal properties (strings and numbers as text), to mask wherever they appear. */
export function personalValues(properties: unknown, names: ReadonlySet<string> | undefined): Set<string> {
  const values = new Set<string>();
  if (!names?.size || !properties || typeof properties !== "object") return values;
  for (const [k, v] of Object.entries(properties as Record<string, unknown>))
    if (names.has(k) && (typeof v === "string" || typeof v === "number") && String(v) !== "") values.add(String(v));
  return values;
}

/** A copy with the named top-level properties masked. */
export function maskByName<T>(properties: T, names: ReadonlySet<string> | undefined): T {
  if (!names?.size || !properties || typeof properties !== "object" || Array.isArray(properties)) return properties;
  return Object.fromEntries(
    Object.entries(properties as Record<string, unknown>).map(([k, v]) => [k, names.has(k) ? PERSONAL_MASK : v]),
  ) as T;
}

/** A copy of any JSON with every string or number equal to one of `values` masked (also inside JSON text). */
export function maskByValue<T>(json: T, values: ReadonlySet<string>): T {
  if (values.size === 0) return json;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      if (values.has(v)) return PERSONAL_MASK;
      let out = v;
      for (const value of values)
        if (value.length >= 3 && out.includes(value)) out = out.split(value).join(PERSONAL_MASK);
      return out;
    }
    if (typeof v === "number") return values.has(String(v)) ? PERSONAL_MASK : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(json) as T;
}

export interface PersonalMask {
  names: ReadonlySet<string>;
  values: ReadonlySet<string>;
}

/** An event's own fields as a masked role sees them: properties by name, payload and context by value. */
export function maskEventFields<T extends { payload: unknown; properties: unknown; context: unknown }>(
  fields: T,
  mask: PersonalMask | null,
): T {
  if (!mask) return fields;
  return {
    ...fields,
    payload: maskByValue(fields.payload, mask.values),
    properties: maskByName(fields.properties, mask.names),
    context: maskByValue(fields.context, mask.values),
  };
}

/**
 * What `actor` must not see of one event: `event` masks its own fields (viewers), `deliveryLog`
 * the request and response bodies sent for it (everyone below admin); null where nothing is hidden.
 */
export async function personalMasksFor(
  actor: { role: Role; workspaceId: string },
  event: { canonicalEventId: string | null; properties: unknown },
): Promise<{ event: PersonalMask | null; deliveryLog: PersonalMask | null }> {
  if (seesPersonal(actor.role, "delivery_log")) return { event: null, deliveryLog: null };
  const personal = await personalOfEvent(actor.workspaceId, event);
  return { event: seesPersonal(actor.role, "event") ? null : personal, deliveryLog: personal };
}

/** An event's personal property names and values, read from its canonical event's definitions. */
export async function personalOfEvent(
  workspaceId: string,
  event: { canonicalEventId: string | null; properties: unknown },
): Promise<{ names: Set<string>; values: Set<string> }> {
  const definition = event.canonicalEventId
    ? await db().canonicalEvent.findFirst({
        where: { id: event.canonicalEventId, workspaceId },
        select: { id: true, properties: true },
      })
    : null;
  const names = definition
    ? (personalNamesById([definition]).get(definition.id) ?? new Set<string>())
    : new Set<string>();
  return { names, values: personalValues(event.properties, names) };
}
