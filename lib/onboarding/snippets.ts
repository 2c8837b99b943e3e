// Ready-to-copy calls for a write key: curl with the integration guide's purchase, and the Segment and
// RudderStack SDK settings that point at TrackLayer. Pure (used by server pages and client forms alike).

/** The integration guide's example purchase, sent with the key's source. */
export function guidePurchase(source: string) {
  return {
    event: "purchase",
    event_id: "ord_10492_purchase",
    user_id: "cust_2048",
    anonymous_id: "anon_91b2",
    properties: { order_id: "ord_10492", value: 129.95, currency: "EUR" },
    source,
  };
}

export interface KeyRef {
  /** The whole key (only right after it is created), else null and the snippets read it from the environment. */
  key: string | null;
  prefix: string;
  source: string;
}

const keyExpression = (k: KeyRef) => k.key ?? "$TRACKLAYER_WRITE_KEY";
const keyComment = (k: KeyRef) =>
  k.key ? "" : `# TRACKLAYER_WRITE_KEY: the write key starting ${k.prefix} (shown once when it was created)\n`;

export function curlSnippet(origin: string, k: KeyRef): string {
  return `${keyComment(k)}curl -X POST ${origin}/api/capture \\
  -H "Authorization: Bearer ${keyExpression(k)}" \\
  -H "Content-Type: application/json" \\
  -d '${JSON.stringify(guidePurchase(k.source))}'`;
}

const jsKey = (k: KeyRef) => (k.key ? JSON.stringify(k.key) : "process.env.TRACKLAYER_WRITE_KEY");
const jsComment = (k: KeyRef) => (k.key ? "" : `// TRACKLAYER_WRITE_KEY: the write key starting ${k.prefix}\n`);

export function segmentSnippet(origin: string, k: KeyRef): string {
  return `${jsComment(k)}import { Analytics } from "@segment/analytics-node";

const analytics = new Analytics({ writeKey: ${jsKey(k)}, host: "${origin}", path: "/v1/batch" });
analytics.track({
  event: "purchase",
  messageId: "ord_10492_purchase",
  userId: "cust_2048",
  anonymousId: "anon_91b2",
  properties: { order_id: "ord_10492", value: 129.95, currency: "EUR" },
});`;
}

export function rudderstackSnippet(origin: string, k: KeyRef): string {
  return `${jsComment(k)}import Analytics from "@rudderstack/rudder-sdk-node";

const client = new Analytics(${jsKey(k)}, { dataPlaneUrl: "${origin}" });
client.track({
  event: "purchase",
  messageId: "ord_10492_purchase",
  userId: "cust_2048",
  anonymousId: "anon_91b2",
  properties: { order_id: "ord_10492", value: 129.95, currency: "EUR" },
});`;
}

export function keySnippets(origin: string, k: KeyRef) {
  return [
    { label: "curl", code: curlSnippet(origin, k) },
    { label: "Segment SDK (Node)", code: segmentSnippet(origin, k) },
    { label: "RudderStack SDK (Node)", code: rudderstackSnippet(origin, k) },
  ];
}
