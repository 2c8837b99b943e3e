// POST /api/deliveries/{id}/retry — re-queue one failed delivery now (never an accepted one).
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { retryDelivery } from "@/lib/delivery/deliveries";
import { idSchema } from "@/lib/validations/common";

export const POST = apiRoute(
  { permission: "delivery.retry", params: z.object({ id: idSchema }) },
  ({ actor, params }) => retryDelivery(actor, params.id),
);
