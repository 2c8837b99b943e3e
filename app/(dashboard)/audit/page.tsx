import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/page";
import { listAuditLog } from "@/lib/registry/audit";
import { auditListQuerySchema } from "@/lib/validations/audit";
import { AuditTable } from "./audit-table";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requirePageActor();
  const parsed = auditListQuerySchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : auditListQuerySchema.parse({});
  const result = await listAuditLog(actor, query);
  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">Every change in this workspace: who, when, what, before and after.</p>
      <AuditTable
        result={result}
        filters={{
          action: query.action ?? "",
          actor: query.actor ?? "",
          entity_type: query.entity_type ?? "",
          entity_id: query.entity_id ?? "",
        }}
      />
    </>
  );
}
