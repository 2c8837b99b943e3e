// POST /api/mappings/{id}/submit|approve|reject|deprecate — the approval workflow.
import { z } from "zod";
import { apiRoute, BY_CONTENT } from "@/lib/api/route";
import { transitionMapping } from "@/lib/registry/mappings/transition-mapping";
import { idSchema } from "@/lib/validations/common";
import { mappingActionSchema, mappingReviewSchema } from "@/lib/validations/mappings";

const params = z.object({ id: idSchema, action: mappingActionSchema });

// Each action's permission is checked by transitionMapping.
export const POST = apiRoute({ permission: BY_CONTENT, params, body: mappingReviewSchema }, ({ actor, params, body }) =>
  transitionMapping(actor, params.id, params.action, body.comment, { confirmRejections: body.confirm_rejections }),
);
