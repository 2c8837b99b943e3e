// POST /api/destinations/{id}/test — send one synthetic event in test mode; returns the exchange.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { sendTestEvent } from "@/lib/delivery/test-event";
import { idSchema } from "@/lib/validations/common";

export const POST = apiRoute(
  { permission: "destination.manage", params: z.object({ id: idSchema }) },
  ({ actor, params }) => sendTestEvent(actor, params.id),
);
