// POST /api/alert-channels/{id}/test — send one sample notification; answers { ok, error }.

import { testAlertChannel } from "@/lib/alerts/manage-channels";
import { apiRoute } from "@/lib/api/route";
import { alertIdParams } from "@/lib/validations/alerts";

export const POST = apiRoute({ permission: "alert.manage", params: alertIdParams }, ({ actor, params }) =>
  testAlertChannel(actor, params.id),
);
