// Signed generic webhook: the notification's JSON payload, signed like the webhook destination
// (X-TrackLayer-Timestamp, X-TrackLayer-Signature: sha256=HMAC-SHA256(signing_secret, "<timestamp>.<body>")).
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from "@/lib/delivery/destinations/webhook";
import { postJson } from "./http";
import type { Notification, SendOptions } from "./types";

export function sendWebhook(
  config: { url: string },
  secrets: { signing_secret: string },
  n: Notification,
  opts: SendOptions = {},
) {
  const body = JSON.stringify({ subject: n.subject, text: n.text, ...n.payload });
  const timestamp = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  return postJson(
    config.url,
    body,
    { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signWebhook(body, timestamp, secrets.signing_secret) },
    opts,
  );
}
