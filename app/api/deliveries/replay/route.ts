// POST /api/deliveries/replay — count (dry_run, the default) or re-queue failed deliveries by filter.
import { apiRoute } from "@/lib/api/route";
import { replayDeliveries } from "@/lib/delivery/deliveries";
import { replaySchema } from "@/lib/validations/delivery";

export const POST = apiRoute({ permission: "delivery.retry", body: replaySchema }, ({ actor, body }) =>
  replayDeliveries(actor, body),
);
