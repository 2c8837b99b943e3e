// GET /api/tokens — your personal access tokens here. POST — create one (shown once).
import { apiRoute, json } from "@/lib/api/route";
import { tokenCreateSchema } from "@/lib/validations/workspace";
import { createToken, listTokens } from "@/lib/workspace/tokens";

export const GET = apiRoute({ permission: "token.manage" }, ({ actor }) => listTokens(actor));

export const POST = apiRoute({ permission: "token.manage", body: tokenCreateSchema }, async ({ actor, body }) =>
  json(await createToken(actor, body), 201),
);
