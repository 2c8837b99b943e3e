// DELETE /api/tokens/{id} — revoke one of your tokens.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { idSchema } from "@/lib/validations/common";
import { revokeToken } from "@/lib/workspace/tokens";

export const DELETE = apiRoute(
  { permission: "token.manage", params: z.object({ id: idSchema }) },
  ({ actor, params }) => revokeToken(actor, params.id),
);
