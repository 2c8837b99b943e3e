// DELETE /api/sources/{id}/keys/{keyId} — revoke a write key (takes effect on the next request).
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { revokeWriteKey } from "@/lib/registry/sources";
import { idSchema } from "@/lib/validations/registry";

export const DELETE = apiRoute(
  { permission: "writeKey.manage", params: z.object({ id: idSchema, keyId: idSchema }) },
  ({ actor, params }) => revokeWriteKey(actor, params.id, params.keyId),
);
