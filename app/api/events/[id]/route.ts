// GET /api/events/{id} — one stored event: payload, canonical properties, problems, deliveries.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { getEvent } from "@/lib/events/get-event";
import { idSchema } from "@/lib/validations/common";

export const GET = apiRoute({ permission: "workspace.read", params: z.object({ id: idSchema }) }, ({ actor, params }) =>
  getEvent(actor, params.id),
);
