// GET /api/computed-traits — the workspace's rule-based computed traits.
// POST /api/computed-traits — define one (growth / admin); its profiles are queued for recompute.
import { apiRoute, json } from "@/lib/api/route";
import { createComputedTrait, listComputedTraits } from "@/lib/traits/definitions";
import { computedTraitCreateSchema } from "@/lib/validations/computed-traits";

export const GET = apiRoute({ permission: "workspace.read" }, ({ actor }) => listComputedTraits(actor));

export const POST = apiRoute(
  { permission: "computedTrait.manage", body: computedTraitCreateSchema },
  async ({ actor, body }) => json(await createComputedTrait(actor, body), 201),
);
