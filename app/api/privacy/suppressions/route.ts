// GET /api/privacy/suppressions — suppressed identifiers (as keyed-hash labels). POST — suppress one (admins).
import { apiRoute, json } from "@/lib/api/route";
import { createSuppression, listSuppressions } from "@/lib/privacy/suppressions";
import { suppressionCreateSchema } from "@/lib/validations/privacy";

export const GET = apiRoute({ permission: "privacy.manage" }, ({ actor }) => listSuppressions(actor));

export const POST = apiRoute(
  { permission: "privacy.manage", body: suppressionCreateSchema },
  async ({ actor, body }) => {
    const { suppression, created } = await createSuppression(actor, body);
    return json(suppression, created ? 201 : 200);
  },
);
