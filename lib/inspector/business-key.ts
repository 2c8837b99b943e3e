// Which business id (order_id / lead_id) an event should carry. Pure and browser-safe: the
// validation wizard builds its sample event with it, the checks judge events with it, and ingest
// stores its value as Event.orderKey (lib/ingest/calls.ts), by which the trace finds siblings.

/** Business ids by canonical event, besides any the mapping requires. */
const BUSINESS_KEY_BY_EVENT: Record<string, "order_id" | "lead_id"> = {
  purchase: "order_id",
  refund: "order_id",
  qualify_lead: "lead_id",
  generate_lead: "lead_id",
};

const present = (v: unknown) => (typeof v === "string" && v.trim() !== "") || typeof v === "number";

/** The business id the event should carry: required by its mapping, implied by its name, or present. */
export function businessKeyOf(input: {
  requiredProperties: string[];
  canonicalEvent: string | null;
  properties: Record<string, unknown>;
}): "order_id" | "lead_id" | null {
  for (const key of ["order_id", "lead_id"] as const) if (input.requiredProperties.includes(key)) return key;
  const byName = input.canonicalEvent ? BUSINESS_KEY_BY_EVENT[input.canonicalEvent] : undefined;
  if (byName) return byName;
  for (const key of ["order_id", "lead_id"] as const) if (present(input.properties[key])) return key;
  return null;
}
