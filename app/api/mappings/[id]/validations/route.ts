// GET /api/mappings/{id}/validations — recent guided validations of this mapping.
// POST — record one: the four checks of the given event decide passed / failed.
import { z } from "zod";
import { apiRoute, json } from "@/lib/api/route";
import { listValidations, recordValidation } from "@/lib/inspector/validations";
import { idSchema } from "@/lib/validations/common";
import { validationCreateSchema } from "@/lib/validations/inspector";

const params = z.object({ id: idSchema });

export const GET = apiRoute({ permission: "workspace.read", params }, ({ actor, params }) =>
  listValidations(actor, params.id),
);

export const POST = apiRoute(
  { permission: "mapping.validate", params, body: validationCreateSchema },
  async ({ actor, params, body }) => json(await recordValidation(actor, params.id, body.event_id), 201),
);
