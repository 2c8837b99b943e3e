import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { TableScroll } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/form-bits";
import type { FieldChange } from "@/lib/registry/mappings/diff";

interface Revision {
  id: string;
  number: number;
  status: string;
  created_at: string;
  created_by: { email: string | null } | null;
  reviewed_by: { email: string | null } | null;
  review_comment: string | null;
  changes: FieldChange[];
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

interface Props {
  mappingId: string;
  revisions: Revision[];
  liveId: string | null;
}

export function RevisionHistory({ mappingId, revisions, liveId }: Props) {
  return (
    <div className="panel">
      {revisions.map((r) => (
        <section key={r.id} style={{ marginBottom: "1rem" }} aria-label={`Revision ${r.number}`}>
          <div className="row">
            <strong>Revision {r.number}</strong>
            <StatusBadge status={r.status} />
            {r.id === liveId ? <Badge status="approved">live</Badge> : null}
            <span className="muted">
              {new Date(r.created_at).toLocaleString()} by {r.created_by?.email ?? "unknown"}
              {r.reviewed_by ? ` · reviewed by ${r.reviewed_by.email}` : ""}
              {r.review_comment ? `: “${r.review_comment}”` : ""}
            </span>
            <Link href={`/mappings/${mappingId}?revision=${r.number}#evidence`}>Evidence for revision {r.number}</Link>
          </div>
          <TableScroll>
            <table className="diff" aria-label={`Changes in revision ${r.number}`}>
              <tbody>
                {r.changes.map((c) => (
                  <tr key={c.field}>
                    <th>{c.field}</th>
                    <td>{c.before === null ? <span className="muted">—</span> : <del>{show(c.before)}</del>}</td>
                    <td>
                      <ins>{show(c.after)}</ins>
                    </td>
                  </tr>
                ))}
                {r.changes.length === 0 ? (
                  <tr>
                    <td className="muted">No content changes from the previous revision.</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </TableScroll>
        </section>
      ))}
    </div>
  );
}
