// Meta Conversions API mock: POST /v{N}/{pixel_id}/events, validated like the real endpoint
// (unix seconds no older than 7 days, hashed user data, ≤ 1,000 events, action_source rules).
// One bad event fails the whole request with a code 100 error; dedup key: event_name + event_id.
import { randomUUID } from "node:crypto";
import { isObject, type Received, type Reply, SHA256_HEX, startPlatformMock, values } from "./core";

const ACTION_SOURCES = new Set([
  "website",
  "email",
  "app",
  "phone_call",
  "chat",
  "physical_store",
  "system_generated",
  "business_messaging",
  "other",
]);
const HASHED = ["em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country"];
const SEVEN_DAYS_S = 7 * 24 * 60 * 60;

const error = (status: number, code: number, message: string, subcode?: number): Reply => ({
  status,
  problems: [message],
  body: {
    error: {
      message,
      type: code === 190 ? "OAuthException" : "GraphMethodException",
      code,
      error_subcode: subcode,
      is_transient: false,
      error_user_msg: message,
      fbtrace_id: `trace-${randomUUID().slice(0, 8)}`,
    },
  },
});

/** Why Meta would refuse one server event, or null. */
export function metaEventProblem(e: unknown, i: number, nowS: number): string | null {
  if (!isObject(e)) return `data[${i}] must be an object`;
  if (typeof e.event_name !== "string" || !e.event_name) return `data[${i}].event_name is required`;
  const t = e.event_time;
  if (typeof t !== "number" || !Number.isInteger(t))
    return `data[${i}].event_time must be an integer unix timestamp in seconds`;
  if (t > nowS + 60) return `data[${i}].event_time is in the future (seconds expected, got ${t})`;
  if (t < nowS - SEVEN_DAYS_S) return `data[${i}].event_time is more than 7 days in the past`;
  if (typeof e.action_source !== "string" || !ACTION_SOURCES.has(e.action_source))
    return `data[${i}].action_source is invalid`;
  if (!isObject(e.user_data) || Object.keys(e.user_data).length === 0) return `data[${i}].user_data is required`;
  const user = e.user_data;
  if (e.action_source === "website" && (!e.event_source_url || !user.client_user_agent)) {
    return `data[${i}]: website events need event_source_url and user_data.client_user_agent`;
  }
  for (const key of HASHED) {
    for (const v of values(user[key]))
      if (typeof v !== "string" || !SHA256_HEX.test(v)) return `data[${i}].user_data.${key} must be a SHA-256 hash`;
  }
  if (
    isObject(e.custom_data) &&
    e.custom_data.currency !== undefined &&
    !/^[A-Z]{3}$/.test(String(e.custom_data.currency))
  ) {
    return `data[${i}].custom_data.currency must be an ISO 4217 code`;
  }
  return null;
}

function handle(r: Received): Reply {
  if (r.method !== "POST" || !/^\/v\d+\.\d+\/\d+\/events$/.test(r.path))
    return error(400, 100, `Unsupported request: ${r.method} ${r.path}`);
  const body = isObject(r.json) ? r.json : {};
  if (!body.access_token && !r.query.get("access_token"))
    return error(400, 190, "An access token is required to request this resource.");
  const data = body.data;
  if (!Array.isArray(data) || data.length === 0) return error(400, 100, "The parameter data is required");
  if (data.length > 1000) return error(400, 100, "data may contain at most 1000 events");
  const nowS = Math.floor(Date.now() / 1000);
  for (const [i, e] of data.entries()) {
    const problem = metaEventProblem(e, i, nowS);
    if (problem) return error(400, 100, `Invalid parameter: ${problem}`, 2804003);
  }
  const testMode = typeof body.test_event_code === "string";
  return {
    status: 200,
    body: { events_received: data.length, messages: [], fbtrace_id: `trace-${randomUUID().slice(0, 8)}` },
    accepted: testMode
      ? []
      : data.map((e: Record<string, unknown>) => `${String(e.event_name)}:${String(e.event_id ?? randomUUID())}`),
  };
}

export const startMetaMock = () => startPlatformMock("meta", handle);
