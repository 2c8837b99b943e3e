// GET /api/destinations/{id} — settings, secret names, health. PATCH — change settings or secrets.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { getDestination, updateDestination } from "@/lib/delivery/manage-destinations";
import { idSchema } from "@/lib/validations/common";
import { destinationUpdateSchema } from "@/lib/validations/delivery";

const params = z.object({ id: idSchema });

export const GET = apiRoute({ permission: "workspace.read", params }, ({ actor, params }) =>
  getDestination(actor, params.id),
);

export const PATCH = apiRoute(
  { permission: "destination.manage", params, body: destinationUpdateSchema },
  ({ actor, params, body }) => updateDestination(actor, params.id, body),
);
