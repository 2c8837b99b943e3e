// Generic webhook: canonical events as signed JSON (HMAC-SHA256 over "<timestamp>.<body>") to the configured URL.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { jsonRequest } from "@/lib/delivery/destinations/shared";
import type { DeliveryEvent, DestinationModule, DestinationSettings } from "@/lib/delivery/destinations/types";
import { type Answer, classifyHttp } from "@/lib/delivery/http-retry";

export const webhookConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: "url must be the receiver's http(s) URL" }),
  max_batch: z.number().int().min(1).max(1000, "max_batch is at most 1000").default(100),
});
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

export const webhookSecretsSchema = z.object({
  signing_secret: z
    .string({ error: "signing_secret is required" })
    .min(16, "signing_secret must be at least 16 characters"),
});
export type WebhookSecrets = z.infer<typeof webhookSecretsSchema>;

type Settings = DestinationSettings<WebhookConfig, WebhookSecrets>;

export const TIMESTAMP_HEADER = "X-TrackLayer-Timestamp";
export const SIGNATURE_HEADER = "X-TrackLayer-Signature";

export function signWebhook(body: string, timestamp: number | string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** For receivers: the signature matches and the timestamp is within `toleranceSeconds` of `now`. */
export function verifyWebhookSignature(
  body: string,
  timestamp: string | number,
  signature: string,
  secret: string,
  toleranceSeconds = 300,
  now: Date = new Date(),
): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(now.getTime() / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(body, ts, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function webhookEvent(event: DeliveryEvent) {
  return {
    event_id: event.eventId,
    event: event.canonicalEvent,
    occurred_at: event.occurredAt.toISOString(),
    user_id: event.userId,
    anonymous_id: event.anonymousId,
    properties: event.properties,
    context: event.context,
  };
}

/** Signed at `settings.now` (the engine's send time); without it, at the newest event's time. */
function buildRequest(events: DeliveryEvent[], { config, secrets, now }: Settings) {
  const payload = { events: events.map(webhookEvent) };
  const body = JSON.stringify(payload);
  const sentAt = now ?? new Date(Math.max(...events.map((e) => e.occurredAt.getTime())));
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  return jsonRequest({
    url: config.url,
    headers: {
      "User-Agent": "TrackLayer-Webhook/1",
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signWebhook(body, timestamp, secrets.signing_secret),
    },
    payload,
    body,
  });
}

export const webhookDestination: DestinationModule<WebhookConfig, WebhookSecrets> = {
  type: "webhook",
  label: "Webhook",
  configSchema: webhookConfigSchema,
  secretsSchema: webhookSecretsSchema,
  maxBatch: 100,
  batchLimit: ({ config }) => config.max_batch,
  buildRequest,
  classify: (answer: Answer) => classifyHttp(answer, [408, 429]),
};
