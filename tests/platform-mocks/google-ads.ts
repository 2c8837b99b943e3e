// Google Ads Data Manager API mock: POST /v1/events:ingest with a bearer token; RFC 3339 times,
// ≤ 2,000 events, HEX encoding required (and honoured) when userData is sent. Errors are
// google.rpc.Status bodies; success is { requestId }. Dedup: transactionId per conversion action.
// Invalid events refuse the whole request with INVALID_ARGUMENT and one BadRequest field violation per
// invalid event (events[i]…), so a sender can tell which events to fix and which to send again.
import { randomUUID } from "node:crypto";
import { bearer, isObject, type Received, type Reply, startPlatformMock } from "./core";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const EVENT_SOURCES = new Set(["WEB", "APP", "IN_STORE", "PHONE", "OTHER"]);
const HEX_HASH = /^[0-9a-fA-F]{64}$/;

const rpcError = (code: number, status: string, message: string, field?: string): Reply => ({
  status: code,
  problems: [message],
  body: {
    error: {
      code,
      status,
      message,
      details: field
        ? [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field, description: message }] }]
        : [],
    },
  },
});

function identifierProblem(id: unknown, at: string, hex: boolean): string | null {
  if (!isObject(id)) return `${at} must be an object`;
  for (const key of ["emailAddress", "phoneNumber"]) {
    const v = id[key];
    if (v !== undefined && (typeof v !== "string" || (hex && !HEX_HASH.test(v))))
      return `${at}.${key} must be a hex-encoded SHA-256 hash`;
  }
  return null;
}

/** Why the API would refuse event `e`, or null. */
function eventProblem(e: unknown, i: number, hex: boolean, references: Set<string>): string | null {
  const at = `events[${i}]`;
  if (!isObject(e)) return `${at} must be an object`;
  if (
    typeof e.eventTimestamp !== "string" ||
    !RFC3339.test(e.eventTimestamp) ||
    Number.isNaN(Date.parse(e.eventTimestamp))
  ) {
    return `${at}.eventTimestamp must be an RFC 3339 timestamp, got ${JSON.stringify(e.eventTimestamp)}`;
  }
  if (typeof e.transactionId !== "string" || !e.transactionId) return `${at}.transactionId is required`;
  if (e.eventSource !== undefined && !EVENT_SOURCES.has(String(e.eventSource))) return `${at}.eventSource is invalid`;
  if (e.currency !== undefined && !/^[A-Z]{3}$/.test(String(e.currency)))
    return `${at}.currency must be an ISO 4217 code`;
  if (Array.isArray(e.destinationReferences) && e.destinationReferences.some((r) => !references.has(String(r))))
    return `${at}.destinationReferences names no destination`;
  if (e.userData !== undefined) {
    if (!hex) return "encoding must be HEX when userData is sent";
    const ids = isObject(e.userData) ? e.userData.userIdentifiers : undefined;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 10)
      return `${at}.userData.userIdentifiers needs 1 to 10 identifiers`;
    for (const [j, id] of ids.entries()) {
      const problem = identifierProblem(id, `${at}.userData.userIdentifiers[${j}]`, hex);
      if (problem) return problem;
    }
  }
  return null;
}

function handle(r: Received): Reply {
  if (r.method !== "POST" || r.path !== "/v1/events:ingest") return rpcError(404, "NOT_FOUND", `no method ${r.path}`);
  if (!bearer(r)) return rpcError(401, "UNAUTHENTICATED", "Request is missing required authentication credential.");
  const body = isObject(r.json) ? r.json : {};
  const destinations = Array.isArray(body.destinations) ? body.destinations : [];
  if (destinations.length === 0) return rpcError(400, "INVALID_ARGUMENT", "destinations is required", "destinations");
  for (const [i, d] of destinations.entries()) {
    const account = isObject(d) && isObject(d.operatingAccount) ? d.operatingAccount : {};
    if (account.accountType !== "GOOGLE_ADS" || !/^\d{10}$/.test(String(account.accountId)))
      return rpcError(
        400,
        "INVALID_ARGUMENT",
        "operatingAccount must be a GOOGLE_ADS account with a 10-digit id",
        `destinations[${i}].operatingAccount`,
      );
    if (!/^\d+$/.test(String((d as Record<string, unknown>).productDestinationId)))
      return rpcError(
        400,
        "INVALID_ARGUMENT",
        "productDestinationId must be a conversion action id",
        `destinations[${i}].productDestinationId`,
      );
  }
  const events = Array.isArray(body.events) ? body.events : [];
  if (events.length === 0 || events.length > 2000)
    return rpcError(400, "INVALID_ARGUMENT", `events must hold 1 to 2000 events, got ${events.length}`, "events");
  const hex = body.encoding === "HEX";
  const references = new Set(destinations.map((d) => String((d as Record<string, unknown>).reference ?? "")));
  const violations = events.flatMap((e, i) => {
    const problem = eventProblem(e, i, hex, references);
    if (problem) return [{ field: `events[${i}]`, description: problem }];
    if (isObject(e) && r.invalid.has(String(e.transactionId)))
      return [{ field: `events[${i}].adIdentifiers.gclid`, description: "The click identifier could not be decoded." }];
    return [];
  });
  if (violations.length)
    return {
      status: 400,
      problems: violations.map((v) => `${v.field}: ${v.description}`),
      body: {
        error: {
          code: 400,
          status: "INVALID_ARGUMENT",
          message: violations.map((v) => `${v.field}: ${v.description}`).join("; "),
          details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: violations }],
        },
      },
    };
  const actionOf = (e: Record<string, unknown>) =>
    Array.isArray(e.destinationReferences)
      ? String(e.destinationReferences[0])
      : String((destinations[0] as Record<string, unknown>).productDestinationId);
  return {
    status: 200,
    body: { requestId: randomUUID() },
    accepted: body.validateOnly
      ? []
      : events.map((e: Record<string, unknown>) => `${actionOf(e)}:${String(e.transactionId)}`),
  };
}

export const startGoogleAdsMock = () => startPlatformMock("google_ads", handle);
