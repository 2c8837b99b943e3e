// POST /api/alerts/{id}/snooze — no notifications for `hours` (0 lifts the snooze).

import { snoozeAlert } from "@/lib/alerts/manage-alerts";
import { apiRoute } from "@/lib/api/route";
import { alertIdParams, alertSnoozeSchema } from "@/lib/validations/alerts";

export const POST = apiRoute(
  { permission: "alert.snooze", params: alertIdParams, body: alertSnoozeSchema },
  ({ actor, params, body }) => snoozeAlert(actor, params.id, body.hours),
);
