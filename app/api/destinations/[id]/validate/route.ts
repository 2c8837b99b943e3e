// POST /api/destinations/{id}/validate — GA4 only: send a sample or stored event to /debug/mp/collect; returns validationMessages.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { validateWithGa4Debug } from "@/lib/delivery/validate-ga4";
import { idSchema } from "@/lib/validations/common";
import { ga4ValidateSchema } from "@/lib/validations/delivery";

export const POST = apiRoute(
  { permission: "destination.manage", params: z.object({ id: idSchema }), body: ga4ValidateSchema },
  ({ actor, params, body }) => validateWithGa4Debug(actor, params.id, body),
);
