// GET /api/alerts/history — every transition, reminder, snooze and mute, newest first (cursor pages).

import { alertHistory } from "@/lib/alerts/manage-alerts";
import { apiRoute } from "@/lib/api/route";
import { alertHistoryQuerySchema } from "@/lib/validations/alerts";

export const GET = apiRoute({ permission: "workspace.read", query: alertHistoryQuerySchema }, ({ actor, query }) =>
  alertHistory(actor, query),
);
