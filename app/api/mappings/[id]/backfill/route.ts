// POST /api/mappings/{id}/backfill — send past accepted events to a destination toggled on later
// (dry_run, the default, only counts them).
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { backfillMapping } from "@/lib/delivery/backfill";
import { idSchema } from "@/lib/validations/common";
import { backfillSchema } from "@/lib/validations/delivery";

export const POST = apiRoute(
  { permission: "mapping.toggleDestination", params: z.object({ id: idSchema }), body: backfillSchema },
  ({ actor, params, body }) => backfillMapping(actor, params.id, body),
);
