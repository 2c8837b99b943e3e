// Empty-state help: how to send a first event to /api/capture with a write key.
import Link from "next/link";
import { publicUrl } from "@/lib/env";

const EXAMPLE = {
  event: "purchase",
  event_id: "ord_1_purchase",
  user_id: "cust_1",
  properties: { order_id: "ord_1", value: 10, currency: "EUR" },
  source: "heap",
};

export function FirstEventHint({ intro = "No events yet." }: { intro?: string }) {
  const origin = publicUrl();
  return (
    <div style={{ textAlign: "left", maxWidth: 760, margin: "0 auto" }}>
      <p>
        {intro} Send a first event with a write key (<Link href="/sources">Sources &amp; keys</Link>):
      </p>
      <pre style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
        {`curl -X POST ${origin}/api/capture \\
  -H "Authorization: Bearer <write key>" \\
  -H 'content-type: application/json' \\
  -d '${JSON.stringify(EXAMPLE)}'`}
      </pre>
    </div>
  );
}
