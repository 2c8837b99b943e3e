// GET /api/alert-rules — the workspace's rules with their thresholds. POST — add one (admins, growth).

import { createAlertRule, listAlertRules } from "@/lib/alerts/manage-rules";
import { apiRoute, json } from "@/lib/api/route";
import { alertRuleCreateSchema } from "@/lib/validations/alerts";

export const GET = apiRoute({ permission: "workspace.read" }, ({ actor }) => listAlertRules(actor));

export const POST = apiRoute({ permission: "alert.manage", body: alertRuleCreateSchema }, async ({ actor, body }) =>
  json(await createAlertRule(actor, body), 201),
);
