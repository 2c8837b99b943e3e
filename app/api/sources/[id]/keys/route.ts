// POST /api/sources/{id}/keys — create a write key for this source; the key is shown once.
// Admins create any key; whoever may validate mappings may create test keys.
import { z } from "zod";
import { apiRoute, BY_CONTENT, json } from "@/lib/api/route";
import { createWriteKey } from "@/lib/registry/sources";
import { idSchema } from "@/lib/validations/common";
import { writeKeyCreateSchema } from "@/lib/validations/sources";

export const POST = apiRoute(
  { permission: BY_CONTENT, params: z.object({ id: idSchema }), body: writeKeyCreateSchema },
  async ({ actor, params, body }) => json(await createWriteKey(actor, params.id, body), 201),
);
