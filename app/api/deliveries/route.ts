// GET /api/deliveries — the delivery log, filtered by destination, status, canonical event, time.
import { apiRoute } from "@/lib/api/route";
import { listDeliveries } from "@/lib/delivery/deliveries";
import { deliveryListQuerySchema } from "@/lib/validations/delivery";

export const GET = apiRoute({ permission: "workspace.read", query: deliveryListQuerySchema }, ({ actor, query }) =>
  listDeliveries(actor, query),
);
