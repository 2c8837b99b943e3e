// GET /api/computed-traits/{id} — one definition. PATCH — change name, rule or enabled. DELETE — remove it.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { deleteComputedTrait, getComputedTrait, updateComputedTrait } from "@/lib/traits/definitions";
import { idSchema } from "@/lib/validations/common";
import { computedTraitUpdateSchema } from "@/lib/validations/computed-traits";

const params = z.object({ id: idSchema });

export const GET = apiRoute({ permission: "workspace.read", params }, ({ actor, params }) =>
  getComputedTrait(actor, params.id),
);

export const PATCH = apiRoute(
  { permission: "computedTrait.manage", params, body: computedTraitUpdateSchema },
  ({ actor, params, body }) => updateComputedTrait(actor, params.id, body),
);

export const DELETE = apiRoute({ permission: "computedTrait.manage", params }, ({ actor, params }) =>
  deleteComputedTrait(actor, params.id),
);
