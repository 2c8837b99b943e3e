// GET /api/alert-rules/{id} — one rule. PATCH — name, on/off, thresholds, reminders. DELETE — the rule and its alerts.

import { deleteAlertRule, getAlertRule, updateAlertRule } from "@/lib/alerts/manage-rules";
import { apiRoute } from "@/lib/api/route";
import { alertIdParams, alertRuleUpdateSchema } from "@/lib/validations/alerts";

export const GET = apiRoute({ permission: "workspace.read", params: alertIdParams }, ({ actor, params }) =>
  getAlertRule(actor, params.id),
);

export const PATCH = apiRoute(
  { permission: "alert.manage", params: alertIdParams, body: alertRuleUpdateSchema },
  ({ actor, params, body }) => updateAlertRule(actor, params.id, body),
);

export const DELETE = apiRoute({ permission: "alert.manage", params: alertIdParams }, ({ actor, params }) =>
  deleteAlertRule(actor, params.id),
);
