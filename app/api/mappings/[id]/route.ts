// GET /api/mappings/{id} — the mapping with every revision and its diff.
// PATCH /api/mappings/{id} — edit content (analysts) and/or destination toggles (growth).
import { z } from "zod";
import { apiRoute, BY_CONTENT } from "@/lib/api/route";
import { getMapping } from "@/lib/registry/mappings/get-mapping";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { idSchema } from "@/lib/validations/common";
import { mappingUpdateSchema } from "@/lib/validations/mappings";

const params = z.object({ id: idSchema });

export const GET = apiRoute({ permission: "workspace.read", params }, ({ actor, params }) =>
  getMapping(actor, params.id),
);

// The permission depends on what the body changes; updateMapping checks it.
export const PATCH = apiRoute(
  { permission: BY_CONTENT, params, body: mappingUpdateSchema },
  ({ actor, params, body }) => updateMapping(actor, params.id, body),
);
