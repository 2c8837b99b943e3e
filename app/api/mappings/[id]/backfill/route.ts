// POST /api/mappings/{id}/backfill — send past accepted events to a destination toggled on later
// (dry_run, the default, only counts them).
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { backfillMapping } from "@/lib/delivery/backfill";
import { backfillSchema } from "@/lib/validations/delivery";
import { idSchema } from "@/lib/validations/registry";

export const POST = apiRoute(
  { permission: "mapping.toggleDestination", params: z.object({ id: idSchema }), body: backfillSchema },
  ({ actor, params, body }) => backfillMapping(actor, params.id, body),
);
