// What one event looks like inside a destination request as logged: its dedup key, user key and
// business id (order_id / lead_id), read back per platform so the inspector's checks can compare
// them with the stored event. Pure: reads the logged (redacted) body only.

import { uuidFor } from "@/lib/delivery/destinations/hubspot";
import { metaExternalId } from "@/lib/delivery/identity/match-keys";
import { text } from "@/lib/delivery/normalize";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { checkSentTime, type SentTime, type TimeVerdict } from "@/lib/inspector/timestamp";

export interface EventRef {
  eventId: string;
  userId: string | null;
  properties: Record<string, unknown>;
  /** When given, the sent time field is compared with it (PayloadKeys.time). */
  occurredAt?: Date;
}

export interface PayloadKeys {
  /** The platform's dedup key as sent, and what it should be; null when the platform has none. */
  dedup: { field: string; value: string | undefined; expected: string } | null;
  /** The user key as sent (hashed where the platform hashes), and what it should be; null when the platform sends none. */
  user: { field: string; value: string | undefined; expected: string | undefined } | null;
  /** Where the business id travels and its value there; null when the platform has no such field. */
  business: { field: string; value: string | undefined } | null;
  /** The time field as sent, read back and compared with occurred_at at the platform's precision. */
  time?: TimeVerdict | null;
}

type Keys = Omit<PayloadKeys, "time"> & { sentTime?: SentTime };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const first = (v: unknown): string | undefined => (Array.isArray(v) ? text(v[0]) : text(v));

/** The business id the platform receives: the order id, else the lead id. */
const businessOf = (e: EventRef) => text(e.properties.order_id) ?? text(e.properties.lead_id);

type Reader = (body: unknown, event: EventRef) => Keys | null;

// Destinations that receive no events (e.g. profile-only syncs) have no reader.
const readers: Partial<Record<DestinationType, Reader>> = {
  meta(body, e) {
    const entry = arr(obj(body).data).find((d) => d.event_id === e.eventId);
    if (!entry) return null;
    const custom = obj(entry.custom_data);
    const user = obj(entry.user_data);
    return {
      dedup: { field: "data[].event_id", value: text(entry.event_id), expected: e.eventId },
      sentTime: { field: "event_time", unit: "s", sent: entry.event_time },
      user: {
        field: "user_data.external_id",
        value: first(user.external_id),
        expected: metaExternalId(e.userId),
      },
      business: text(e.properties.order_id)
        ? { field: "custom_data.order_id", value: text(custom.order_id) }
        : { field: "custom_data.lead_id", value: text(custom.lead_id) ?? text(user.lead_id) },
    };
  },
  google_ads(body, e) {
    const events = arr(obj(body).events);
    const expected = businessOf(e) ?? e.eventId;
    const entry = events.find((x) => x.transactionId === expected) ?? (events.length === 1 ? events[0] : undefined);
    if (!entry) return null;
    // Google deduplicates conversions by transactionId, which carries the business id.
    return {
      dedup: { field: "events[].transactionId", value: text(entry.transactionId), expected },
      sentTime: { field: "eventTimestamp", unit: "RFC 3339", sent: entry.eventTimestamp },
      user: null,
      business: { field: "events[].transactionId", value: text(entry.transactionId) },
    };
  },
  ga4(body, e) {
    const payload = obj(body);
    const events = arr(payload.events);
    const order = text(e.properties.order_id);
    const entry =
      events.find((x) => order !== undefined && obj(x.params).transaction_id === order) ??
      (events.length === 1 ? events[0] : undefined);
    if (!entry) return null;
    return {
      dedup: null,
      sentTime: { field: "timestamp_micros", unit: "µs", sent: entry.timestamp_micros ?? payload.timestamp_micros },
      user: { field: "user_id", value: text(payload.user_id), expected: e.userId ?? undefined },
      business:
        order !== undefined ? { field: "params.transaction_id", value: text(obj(entry.params).transaction_id) } : null,
    };
  },
  linkedin(body, e) {
    const b = obj(body);
    const entry = [b, ...arr(b.elements)].find((x) => x.eventId === e.eventId);
    if (!entry) return null;
    return {
      dedup: { field: "eventId", value: text(entry.eventId), expected: e.eventId },
      sentTime: { field: "conversionHappenedAt", unit: "ms", sent: entry.conversionHappenedAt },
      user: null,
      business: null,
    };
  },
  hubspot(body, e) {
    const b = obj(body);
    const uuid = uuidFor(e.eventId);
    const entry = [b, ...arr(b.inputs)].find((x) => x.uuid === uuid);
    // Contact mode upserts a contact: there are no per-event keys to compare.
    if (!entry) return { dedup: null, user: null, business: null };
    return {
      dedup: { field: "uuid", value: text(entry.uuid), expected: uuid },
      sentTime: { field: "occurredAt", unit: "ISO 8601", sent: entry.occurredAt },
      user: null,
      business:
        businessOf(e) !== undefined
          ? { field: "properties", value: text(obj(entry.properties).order_id) ?? text(obj(entry.properties).lead_id) }
          : null,
    };
  },
  webhook(body, e) {
    const entry = arr(obj(body).events).find((x) => x.event_id === e.eventId);
    if (!entry) return null;
    const props = obj(entry.properties);
    return {
      dedup: { field: "events[].event_id", value: text(entry.event_id), expected: e.eventId },
      sentTime: { field: "occurred_at", unit: "ISO 8601", sent: entry.occurred_at },
      user: { field: "events[].user_id", value: text(entry.user_id), expected: e.userId ?? undefined },
      business:
        businessOf(e) !== undefined
          ? { field: "properties", value: text(props.order_id) ?? text(props.lead_id) }
          : null,
    };
  },
};

/** The event's keys in a logged request body, or null when the body does not carry the event. */
export function payloadKeys(type: DestinationType, body: unknown, event: EventRef): PayloadKeys | null {
  const read = readers[type]?.(body, event);
  if (!read) return null;
  const { sentTime, ...keys } = read;
  if (!sentTime || !event.occurredAt) return keys;
  return { ...keys, time: checkSentTime(sentTime, event.occurredAt) };
}
