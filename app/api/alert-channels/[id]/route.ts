// PATCH /api/alert-channels/{id} — change a channel (secrets sent replace the stored ones). DELETE — remove it.

import { deleteAlertChannel, updateAlertChannel } from "@/lib/alerts/manage-channels";
import { apiRoute } from "@/lib/api/route";
import { alertChannelUpdateSchema, alertIdParams } from "@/lib/validations/alerts";

export const PATCH = apiRoute(
  { permission: "alert.manage", params: alertIdParams, body: alertChannelUpdateSchema },
  ({ actor, params, body }) => updateAlertChannel(actor, params.id, body),
);

export const DELETE = apiRoute({ permission: "alert.manage", params: alertIdParams }, ({ actor, params }) =>
  deleteAlertChannel(actor, params.id),
);
