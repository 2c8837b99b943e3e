// POST /api/registry/apply — drafts a bundle's changes and submits them for review with a
// reference (commit id or PR URL); never approves. Open to the same members as the plan route.
import { apiRoute, BY_CONTENT, readJsonBody } from "@/lib/api/route";
import { parseInput } from "@/lib/errors";
import { applyRegistry } from "@/lib/registry/apply/apply";
import { assertCanPlan } from "@/lib/registry/plan/plan";
import { registryApplySchema } from "@/lib/validations/registry-apply";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export const POST = apiRoute({ permission: BY_CONTENT }, async ({ actor, request }) => {
  assertCanPlan(actor);
  return applyRegistry(actor, parseInput(registryApplySchema, await readJsonBody(request, MAX_BODY_BYTES)));
});
