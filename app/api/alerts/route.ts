// GET /api/alerts — alerts firing now (?state=resolved|all for the others), newest first.

import { listAlerts } from "@/lib/alerts/manage-alerts";
import { apiRoute } from "@/lib/api/route";
import { alertListQuerySchema } from "@/lib/validations/alerts";

export const GET = apiRoute({ permission: "workspace.read", query: alertListQuerySchema }, ({ actor, query }) =>
  listAlerts(actor, query),
);
