// Signed-webhook receiver mock: verifies X-TrackLayer-Signature over "<timestamp>.<body>" with
// the shared secret (401 on a bad or stale signature) and dedups by event_id.
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from "@/lib/delivery/destinations/webhook";
import { isObject, type Received, type Reply, startPlatformMock } from "./core";

function handler(secret: string, now: () => Date) {
  return (r: Received): Reply => {
    const timestamp = String(r.headers[TIMESTAMP_HEADER.toLowerCase()] ?? "");
    const signature = String(r.headers[SIGNATURE_HEADER.toLowerCase()] ?? "");
    if (!verifyWebhookSignature(r.text, timestamp, signature, secret, 300, now()))
      return { status: 401, body: { error: "bad signature" }, problems: ["bad signature"] };
    const events = isObject(r.json) && Array.isArray(r.json.events) ? r.json.events : null;
    if (!events || events.some((e) => !isObject(e) || typeof e.event_id !== "string"))
      return { status: 400, body: { error: "events[].event_id required" }, problems: ["malformed body"] };
    return {
      status: 200,
      body: { received: events.length },
      accepted: events.map((e) => String((e as Record<string, unknown>).event_id)),
    };
  };
}

/** `now` is the receiver's clock for the signature's freshness check (tests may run the sender's clock ahead). */
export const startWebhookMock = (secret: string, now: () => Date = () => new Date()) =>
  startPlatformMock("webhook", handler(secret, now));
