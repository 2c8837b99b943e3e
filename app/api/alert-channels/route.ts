// GET /api/alert-channels — channels with their secret names, never values. POST — add one (admins, growth).

import { createAlertChannel, listAlertChannels } from "@/lib/alerts/manage-channels";
import { apiRoute, json } from "@/lib/api/route";
import { alertChannelCreateSchema } from "@/lib/validations/alerts";

export const GET = apiRoute({ permission: "alert.manage" }, ({ actor }) => listAlertChannels(actor));

export const POST = apiRoute({ permission: "alert.manage", body: alertChannelCreateSchema }, async ({ actor, body }) =>
  json(await createAlertChannel(actor, body), 201),
);
