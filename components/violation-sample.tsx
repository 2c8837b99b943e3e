// The latest rejected event of a mapping: when, its problems, and its payload on demand.
import Link from "next/link";
import { eventHref } from "@/components/event-links";
import type { ViolationSample as Sample } from "@/lib/events/violations";

export function ViolationSample({ sample }: { sample: Sample }) {
  return (
    <div>
      <Link href={eventHref(sample.id)}>{new Date(sample.received_at).toLocaleString()}</Link>{" "}
      <code>{sample.event_id}</code>
      <ul style={{ margin: ".3rem 0", paddingLeft: "1.2rem" }}>
        {sample.problems.map((p) => (
          <li key={`${p.path}-${p.message}`}>
            <code>{p.path || "(call)"}</code> {p.message}
            {p.rule ? (
              <span className="muted">
                {" "}
                — rule <code>{JSON.stringify(p.rule)}</code>
                {p.value !== undefined ? (
                  <>
                    , value <code>{JSON.stringify(p.value)}</code>
                  </>
                ) : null}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <details>
        <summary className="muted">payload</summary>
        <pre>{JSON.stringify(sample.payload, null, 2)}</pre>
      </details>
    </div>
  );
}

export const rejectedEventsHref = (mappingId: string) =>
  `/events?status=rejected&mapping=${encodeURIComponent(mappingId)}`;
