// Webhook module: body shape, HMAC signature over "<timestamp>.<body>", receiver verification, log redaction, classification.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  signWebhook,
  verifyWebhookSignature,
  type WebhookConfig,
  webhookConfigSchema,
  webhookDestination,
} from "@/lib/delivery/destinations/webhook";
import { answer, kind, makeEvent, network, OCCURRED, settings } from "./destination-fixtures";

const SECRET = "whsec_0123456789abcdef";
const NOW = new Date("2026-11-02T10:05:00.900Z");
const config = (extra: Record<string, unknown> = {}): WebhookConfig =>
  webhookConfigSchema.parse({ url: "https://hooks.example/tracklayer?token=abc", ...extra });
const build = (events = [makeEvent()], extra = {}) =>
  webhookDestination.buildRequest(events, settings(config(), { signing_secret: SECRET }, { now: NOW, ...extra }));

test("posts { events: [...] } to the configured URL with timestamp and signature headers", () => {
  const req = build();
  assert.equal(req.url, "https://hooks.example/tracklayer?token=abc");
  assert.deepEqual(JSON.parse(req.body), {
    events: [
      {
        event_id: "ord_10492_purchase",
        event: "purchase",
        occurred_at: OCCURRED.toISOString(),
        user_id: "cust_2048",
        anonymous_id: "anon_91b2",
        properties: { order_id: "ord_10492", value: 129.95, currency: "eur" },
        context: makeEvent().context,
      },
    ],
  });
  assert.equal(req.headers["X-TrackLayer-Timestamp"], String(Math.floor(NOW.getTime() / 1000)));
  assert.equal(
    req.headers["X-TrackLayer-Signature"],
    signWebhook(req.body, req.headers["X-TrackLayer-Timestamp"] ?? "", SECRET),
  );
});

test("the signature is a hex HMAC-SHA256 of '<timestamp>.<body>' (checked against openssl)", () => {
  assert.equal(
    signWebhook('{"a":1}', 1700000000, SECRET),
    "sha256=9f5e37cdc7ea587c7c02062d93283cad000d66a831b2a1676418696db47ed6c2",
  );
});

test("receivers verify signature and freshness", () => {
  const req = build();
  const ts = req.headers["X-TrackLayer-Timestamp"] ?? "";
  const sig = req.headers["X-TrackLayer-Signature"] ?? "";
  assert.equal(verifyWebhookSignature(req.body, ts, sig, SECRET, 300, NOW), true);
  assert.equal(
    verifyWebhookSignature(req.body.replace("129.95", "1"), ts, sig, SECRET, 300, NOW),
    false,
    "tampered body",
  );
  assert.equal(verifyWebhookSignature(req.body, ts, sig, "another-secret-000", 300, NOW), false, "wrong secret");
  assert.equal(
    verifyWebhookSignature(req.body, ts, sig, SECRET, 300, new Date(NOW.getTime() + 301_000)),
    false,
    "stale",
  );
  assert.equal(verifyWebhookSignature(req.body, ts, "sha256=00", SECRET, 300, NOW), false, "short signature");
  assert.equal(verifyWebhookSignature(req.body, "soon", sig, SECRET, 300, NOW), false, "bad timestamp");
});

test("without an injected now the newest event time signs the request", () => {
  const later = makeEvent({ eventId: "e2", occurredAt: new Date(OCCURRED.getTime() + 60_000) });
  const req = build([makeEvent(), later], { now: undefined });
  assert.equal(req.headers["X-TrackLayer-Timestamp"], String(Math.floor(later.occurredAt.getTime() / 1000)));
});

test("the log hides the URL token, the secret and raw PII", () => {
  const req = build([makeEvent({ properties: { order_id: "o1", email: "john@example.com" } })]);
  assert.equal(req.log.url, "https://hooks.example/tracklayer?token=redacted");
  const logged = JSON.stringify(req.log);
  assert.doesNotMatch(logged, new RegExp(SECRET));
  assert.doesNotMatch(logged, /john@example\.com|203\.0\.113\.7/);
  assert.match(logged, /ord_10492_purchase/);
});

test("config validation and batch cap", () => {
  assert.match(JSON.stringify(webhookConfigSchema.safeParse({ url: "ftp://x" }).error?.issues), /http\(s\) URL/);
  assert.equal(webhookDestination.secretsSchema.safeParse({ signing_secret: "short" }).success, false);
  assert.equal(webhookDestination.batchLimit?.(settings(config({ max_batch: 10 }), { signing_secret: SECRET })), 10);
});

test("classify: 2xx success; 408, 429, 5xx and network retry honouring Retry-After; other 4xx permanent", () => {
  const one = [makeEvent()];
  assert.deepEqual(webhookDestination.classify(answer(202, ""), one), { outcome: "success", ack: { status: 202 } });
  assert.equal(kind(webhookDestination.classify(answer(408, ""), one)), "retry");
  assert.deepEqual(
    webhookDestination.classify(
      answer(429, "slow down", {
        "Retry-After": "Mon, 02 Nov 2026 10:06:00 GMT",
        Date: "Mon, 02 Nov 2026 10:05:00 GMT",
      }),
      one,
    ),
    { outcome: "retry", reason: "HTTP 429: slow down", retryAfterMs: 60_000 },
  );
  assert.deepEqual(webhookDestination.classify(answer(503, "", { "retry-after": "5" }), one), {
    outcome: "retry",
    reason: "HTTP 503",
    retryAfterMs: 5000,
  });
  assert.equal(kind(webhookDestination.classify(network, one)), "retry");
  assert.deepEqual(webhookDestination.classify(answer(410, { message: "gone" }), one), {
    outcome: "permanent",
    reason: "HTTP 410: gone",
  });
  assert.equal(kind(webhookDestination.classify(answer(301, ""), one)), "permanent");
});
