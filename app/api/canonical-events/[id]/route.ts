// PATCH /api/canonical-events/{id} — change the description or property schema.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { updateCanonicalEvent } from "@/lib/registry/canonical-events";
import { canonicalEventUpdateSchema } from "@/lib/validations/canonical-events";
import { idSchema } from "@/lib/validations/common";

export const PATCH = apiRoute(
  { permission: "canonicalEvent.manage", params: z.object({ id: idSchema }), body: canonicalEventUpdateSchema },
  ({ actor, params, body }) => updateCanonicalEvent(actor, params.id, body),
);
