// HubSpot: canonical events as custom behavioural events (pe{portal}_{name}) or as contact upserts by email.
import { z } from "zod";
import { HUBSPOT_MODES } from "@/lib/delivery/destinations/choices";
import { baseUrlField, compact, eventNamesField, joinUrl, jsonRequest } from "@/lib/delivery/destinations/shared";
import type { DeliveryEvent, DestinationModule, DestinationSettings, Outcome } from "@/lib/delivery/destinations/types";
import { type Answer, httpReason, isNetworkError, permanent, retry } from "@/lib/delivery/http-retry";
import { isSha256Hex, normalizeEmail, pickIdentifiers, sha256Hex, text } from "@/lib/delivery/normalize";

export const hubspotConfigSchema = z
  .object({
    mode: z
      .enum(HUBSPOT_MODES, { error: 'mode is "event" (custom behavioural event) or "contact" (contact upsert)' })
      .default("event"),
    portal_id: z.string().trim().regex(/^\d+$/, "portal_id is the numeric HubSpot account (hub) id").optional(),
    event_names: eventNamesField,
    property_map: z
      .record(z.string(), z.string().min(1), {
        error: "property_map maps a HubSpot property to an event property or trait name",
      })
      .optional(),
    max_batch: z
      .number()
      .int()
      .min(1)
      .max(500, "max_batch is at most 500 (HubSpot's batch cap, unconfirmed)")
      .default(100),
    base_url: baseUrlField,
  })
  .refine((c) => c.mode !== "event" || c.portal_id, {
    message: "portal_id is required in event mode",
    path: ["portal_id"],
  });
export type HubspotConfig = z.infer<typeof hubspotConfigSchema>;

export const hubspotSecretsSchema = z.object({
  access_token: z.string({ error: "access_token is required: a private app token" }).min(1, "access_token is required"),
});
export type HubspotSecrets = z.infer<typeof hubspotSecretsSchema>;

type Settings = DestinationSettings<HubspotConfig, HubspotSecrets>;

const CONTACT_TRAITS: Record<string, string[]> = {
  firstname: ["first_name", "firstName"],
  lastname: ["last_name", "lastName"],
  phone: ["phone"],
  city: ["city"],
  state: ["state"],
  zip: ["zip", "postal_code"],
  country: ["country"],
};

/** A plain (unhashed) email, as HubSpot matches contacts on it. */
function plainEmail(event: DeliveryEvent): string | undefined {
  const email = pickIdentifiers(event).email;
  return email && !isSha256Hex(email) ? normalizeEmail(email) : undefined;
}

const objectIdOf = (event: DeliveryEvent) => text(event.traits.hubspot_contact_id ?? event.traits.hubspot_object_id);

/** The event id when it is a UUID, else a stable UUID-shaped digest of it (the same on every retry). */
export function uuidFor(eventId: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId)) return eventId.toLowerCase();
  const h = sha256Hex(eventId);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function scalar(value: unknown): string | number | boolean | undefined {
  return typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
    ? value
    : undefined;
}

function mappedProperties(event: DeliveryEvent, config: HubspotConfig, fallback: Record<string, unknown>) {
  if (!config.property_map)
    return compact(Object.fromEntries(Object.entries(fallback).map(([k, v]) => [k, scalar(v)])));
  return compact(
    Object.fromEntries(
      Object.entries(config.property_map).map(([target, source]) => [
        target,
        scalar(event.properties[source] ?? event.traits[source]),
      ]),
    ),
  );
}

export function hubspotEventName(event: DeliveryEvent, config: HubspotConfig): string {
  const prefix = `pe${config.portal_id ?? ""}_`;
  const name = event.eventName ?? config.event_names?.[event.canonicalEvent] ?? event.canonicalEvent;
  return name.startsWith(prefix) ? name : `${prefix}${name}`;
}

function behaviouralEvent(event: DeliveryEvent, config: HubspotConfig) {
  const objectId = objectIdOf(event);
  return compact({
    eventName: hubspotEventName(event, config),
    objectId,
    email: objectId ? undefined : plainEmail(event),
    occurredAt: event.occurredAt.toISOString(),
    properties: mappedProperties(event, config, event.properties),
    uuid: uuidFor(event.eventId),
  });
}

function contactProperties(event: DeliveryEvent, config: HubspotConfig) {
  const fromTraits = Object.fromEntries(
    Object.entries(CONTACT_TRAITS).map(([prop, keys]) => [
      prop,
      keys.map((k) => scalar(event.traits[k])).find((v) => v !== undefined),
    ]),
  );
  return { ...compact(fromTraits), ...mappedProperties(event, config, {}) };
}

/** Contact mode merges events of one email into one input (HubSpot refuses duplicate ids in a batch). */
function contactInputs(events: DeliveryEvent[], config: HubspotConfig) {
  const byEmail = new Map<string, Record<string, unknown>>();
  for (const event of events) {
    const email = plainEmail(event);
    if (email) byEmail.set(email, { ...byEmail.get(email), ...contactProperties(event, config), email });
  }
  return [...byEmail].map(([id, properties]) => ({ id, idProperty: "email", properties }));
}

function buildRequest(events: DeliveryEvent[], { config, secrets, baseUrl }: Settings) {
  const headers = { Authorization: `Bearer ${secrets.access_token}` };
  if (config.mode === "contact") {
    return jsonRequest({
      url: joinUrl(baseUrl, "/crm/v3/objects/contacts/batch/upsert"),
      headers,
      payload: { inputs: contactInputs(events, config) },
    });
  }
  const inputs = events.map((e) => behaviouralEvent(e, config));
  if (inputs.length === 1)
    return jsonRequest({ url: joinUrl(baseUrl, "/events/v3/send"), headers, payload: inputs[0] });
  return jsonRequest({ url: joinUrl(baseUrl, "/events/v3/send/batch"), headers, payload: { inputs } });
}

function validateEvent(event: DeliveryEvent, { config }: Settings): string | null {
  if (plainEmail(event)) return null;
  if (config.mode === "event" && objectIdOf(event)) return null;
  return config.mode === "contact"
    ? "contact upsert needs a plain email trait (a hashed email cannot identify a HubSpot contact)"
    : "no plain email or hubspot_contact_id trait to attach the event to a contact";
}

interface HubspotError {
  message?: string;
  category?: string;
  policyName?: string;
  context?: unknown;
}

function reasonOf(status: number, body: unknown): string {
  const b = (body && typeof body === "object" ? body : {}) as HubspotError;
  const extra = [b.category, b.policyName].filter(Boolean).join(", ");
  return b.message ? `HTTP ${status}: ${b.message}${extra ? ` (${extra})` : ""}` : httpReason(status, body);
}

/**
 * Which event of the batch an error concerns: the one whose uuid it names, else the inputs[i] its message
 * points at, else the one event with the email / object id it names (an email shared by several events of
 * the batch names none of them). Contact mode merges events by email, so there an email names them all.
 */
function ownersOf(error: HubspotError, events: DeliveryEvent[], contactMode: boolean): number[] {
  const json = JSON.stringify(error).toLowerCase();
  const byUuid = events.flatMap((e, i) => (json.includes(uuidFor(e.eventId)) ? [i] : []));
  if (byUuid.length) return byUuid;
  const index = /inputs\[(\d+)\]/.exec(error.message ?? "")?.[1];
  if (!contactMode && index !== undefined && Number(index) < events.length) return [Number(index)];
  const named = events.flatMap((e, i) => {
    const keys = [plainEmail(e), objectIdOf(e)].filter((k): k is string => Boolean(k));
    return keys.some((k) => json.includes(k.toLowerCase())) ? [i] : [];
  });
  return contactMode || named.length === 1 ? named : [];
}

/** 207 multi-status: each error fails only the events it names; with an error that names none, the rest are sent again. */
function multiStatus(errors: HubspotError[], events: DeliveryEvent[], status: number, contactMode: boolean): Outcome[] {
  const own = new Map<number, HubspotError[]>();
  let unattributed = 0;
  for (const error of errors) {
    const owners = ownersOf(error, events, contactMode);
    if (!owners.length) unattributed++;
    for (const i of owners) own.set(i, [...(own.get(i) ?? []), error]);
  }
  return events.map((_, i) => {
    const mine = own.get(i);
    if (mine) return permanent(mine.map((e) => reasonOf(status, e)).join("; "));
    if (unattributed) return retry(`HTTP ${status}: ${unattributed} error(s) name no event of the batch; sent again`);
    return { outcome: "success", ack: { status } };
  });
}

function classify(answer: Answer, events: DeliveryEvent[], settings?: Settings): Outcome | Outcome[] {
  const contactMode = settings?.config.mode === "contact";
  if (isNetworkError(answer)) return { outcome: "retry", reason: `network: ${answer.networkError}` };
  const { status, headers, body } = answer;
  const errors = (body && typeof body === "object" ? (body as { errors?: unknown }).errors : undefined) as
    | HubspotError[]
    | undefined;
  if (status === 207 && Array.isArray(errors) && errors.length) return multiStatus(errors, events, status, contactMode);
  if (status >= 200 && status < 300) {
    const ack =
      body && typeof body === "object"
        ? compact({ status, batchStatus: (body as { status?: unknown }).status })
        : { status };
    return { outcome: "success", ack };
  }
  if (status === 429 || status >= 500) return retry(reasonOf(status, body), headers);
  return permanent(reasonOf(status, body));
}

export const hubspotDestination: DestinationModule<HubspotConfig, HubspotSecrets> = {
  type: "hubspot",
  label: "HubSpot",
  configSchema: hubspotConfigSchema,
  secretsSchema: hubspotSecretsSchema,
  maxBatch: 100,
  batchLimit: ({ config }) => (config.mode === "contact" ? Math.min(config.max_batch, 100) : config.max_batch),
  buildRequest,
  eventNameProblem: (name) =>
    /^(pe\d+_)?[a-z0-9_]{1,100}$/.test(name)
      ? null
      : "a HubSpot event's internal name is lowercase letters, digits and _ (pe<portalId>_ is added)",
  validateEvent,
  // validateEvent's only refusal: no e-mail or contact id to attach the event to.
  unmatchable: validateEvent,
  classify,
};
