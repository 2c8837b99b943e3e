// GET /api/audit-log — who changed what, newest first, filterable.
import { apiRoute } from "@/lib/api/route";
import { listAuditLog } from "@/lib/registry/audit";
import { auditListQuerySchema } from "@/lib/validations/audit";

export const GET = apiRoute({ permission: "audit.read", query: auditListQuerySchema }, ({ actor, query }) =>
  listAuditLog(actor, query),
);
