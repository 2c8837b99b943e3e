// POST /api/alerts/{id}/mute — { muted: true } silences the alert until { muted: false }.

import { muteAlert } from "@/lib/alerts/manage-alerts";
import { apiRoute } from "@/lib/api/route";
import { alertIdParams, alertMuteSchema } from "@/lib/validations/alerts";

export const POST = apiRoute(
  { permission: "alert.manage", params: alertIdParams, body: alertMuteSchema },
  ({ actor, params, body }) => muteAlert(actor, params.id, body.muted),
);
