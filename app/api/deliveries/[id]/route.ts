// GET /api/deliveries/{id} — one delivery with every attempt's request and response.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { getDelivery } from "@/lib/delivery/deliveries";
import { idSchema } from "@/lib/validations/common";

export const GET = apiRoute({ permission: "workspace.read", params: z.object({ id: idSchema }) }, ({ actor, params }) =>
  getDelivery(actor, params.id),
);
