// DELETE /api/sources/{id}/keys/{keyId} — revoke a write key (takes effect on the next request):
// admins any key, anyone the test key's creator (revokeWriteKey decides).
import { z } from "zod";
import { apiRoute, BY_CONTENT } from "@/lib/api/route";
import { revokeWriteKey } from "@/lib/registry/sources";
import { idSchema } from "@/lib/validations/common";

export const DELETE = apiRoute(
  { permission: BY_CONTENT, params: z.object({ id: idSchema, keyId: idSchema }) },
  ({ actor, params }) => revokeWriteKey(actor, params.id, params.keyId),
);
