// A mapping's schema violations: rejected events over 1 h / 24 h / 7 d and the latest sample.
import Link from "next/link";
import { rejectedEventsHref, ViolationSample } from "@/components/violation-sample";
import type { MappingViolations } from "@/lib/events/violations";

export function ViolationsPanel({ mappingId, violations }: { mappingId: string; violations: MappingViolations }) {
  const { counts, latest } = violations;
  return (
    <section className="panel" aria-label="Violations">
      <div className="spread">
        <span>
          Rejected calls — last hour: <strong>{counts.last_1h}</strong> · 24 h: <strong>{counts.last_24h}</strong> · 7
          days: <strong>{counts.last_7d}</strong>
        </span>
        {latest ? <Link href={rejectedEventsHref(mappingId)}>Rejected events →</Link> : null}
      </div>
      {latest ? (
        <>
          <p className="muted" style={{ marginBottom: ".3rem" }}>
            Latest:
          </p>
          <ViolationSample sample={latest} />
        </>
      ) : (
        <p className="muted" style={{ marginBottom: 0 }}>
          No call to this mapping has been rejected.
        </p>
      )}
    </section>
  );
}
