// HubSpot mock: custom behavioural events (/events/v3/send and /send/batch, eventName
// "pe{portalId}_{name}", empty 204) and contact upserts by email (/crm/v3/objects/contacts/batch/upsert).
// Dedup: events by uuid (else by email + occurredAt); contacts are upserted by email, never duplicated.
import { bearer, isObject, type Received, type Reply, startPlatformMock } from "./core";

const EVENT_NAME = /^pe\d+_[a-z0-9_]+$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const failure = (status: number, message: string, category = "VALIDATION_ERROR"): Reply => ({
  status,
  problems: [message],
  body: { status: "error", message, category, correlationId: "mock-correlation" },
});

/** Why HubSpot would refuse one behavioural event, or null. */
export function hubspotEventProblem(e: unknown): string | null {
  if (!isObject(e)) return "the event must be an object";
  if (!EVENT_NAME.test(String(e.eventName)))
    return `eventName must be the internal name pe<portalId>_<name>, got ${JSON.stringify(e.eventName)}`;
  if (!e.email && !e.objectId && !e.utk) return "one of email, objectId or utk is required";
  if (e.email !== undefined && !EMAIL.test(String(e.email)))
    return `email ${JSON.stringify(e.email)} is not an email address`;
  if (e.occurredAt !== undefined && (typeof e.occurredAt !== "string" || !ISO_8601.test(e.occurredAt)))
    return "occurredAt must be an ISO 8601 timestamp";
  return null;
}

const eventKey = (e: Record<string, unknown>) =>
  `event:${String(e.uuid ?? `${String(e.email ?? e.objectId)}@${String(e.occurredAt)}`)}`;

/** A batch with invalid inputs answers 207 multi-status: one error per invalid input (naming its uuid), the rest are taken. */
function events(r: Received): Reply {
  const batch = r.path.endsWith("/batch");
  const inputs = batch ? (isObject(r.json) && Array.isArray(r.json.inputs) ? r.json.inputs : []) : [r.json];
  if (batch && (inputs.length === 0 || inputs.length > 500)) return failure(400, "inputs must hold 1 to 500 events");
  const problems = inputs.map(
    (e) =>
      hubspotEventProblem(e) ??
      (isObject(e) && r.invalid.has(String(e.uuid)) ? "property value is not valid for the event definition" : null),
  );
  const taken = inputs.filter((_, i) => !problems[i]).map((e) => eventKey(e as Record<string, unknown>));
  if (!problems.some(Boolean)) return { status: 204, accepted: taken };
  if (!batch) return failure(400, problems[0] ?? "invalid");
  const errors = inputs.flatMap((e, i) =>
    problems[i]
      ? [
          {
            status: "error",
            category: "VALIDATION_ERROR",
            message: `inputs[${i}]: ${problems[i]}`,
            context: { uuid: [String(isObject(e) ? e.uuid : "")] },
          },
        ]
      : [],
  );
  return {
    status: 207,
    body: { status: "COMPLETE", numErrors: errors.length, errors, results: [] },
    accepted: taken,
    problems: errors.map((e) => e.message),
  };
}

function contacts(r: Received): Reply {
  const inputs = isObject(r.json) && Array.isArray(r.json.inputs) ? r.json.inputs : [];
  if (inputs.length === 0 || inputs.length > 100) return failure(400, "inputs must hold 1 to 100 contacts");
  const seen = new Set<string>();
  for (const [i, c] of inputs.entries()) {
    if (!isObject(c) || c.idProperty !== "email" || !EMAIL.test(String(c.id)))
      return failure(400, `inputs[${i}]: id must be a plain email with idProperty "email"`);
    if (seen.has(String(c.id))) return failure(400, `Duplicate IDs found in batch input: ${String(c.id)}`);
    seen.add(String(c.id));
  }
  const results = inputs.map((c, i) => ({
    id: String(1000 + i),
    properties: (c as Record<string, unknown>).properties,
  }));
  return {
    status: 200,
    body: { status: "COMPLETE", results, startedAt: new Date().toISOString(), completedAt: new Date().toISOString() },
  };
}

function handle(r: Received): Reply {
  if (!bearer(r)) return failure(401, "Authentication credentials not found.", "INVALID_AUTHENTICATION");
  if (r.method === "POST" && (r.path === "/events/v3/send" || r.path === "/events/v3/send/batch")) return events(r);
  if (r.method === "POST" && r.path === "/crm/v3/objects/contacts/batch/upsert") return contacts(r);
  return failure(404, `no route ${r.method} ${r.path}`, "OBJECT_NOT_FOUND");
}

export const startHubspotMock = () => startPlatformMock("hubspot", handle);
