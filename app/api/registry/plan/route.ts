// POST /api/registry/plan — the change set a registry bundle would make here (nothing is written).
// Open to those who may edit mappings or manage canonical events; bundles may be larger than
// other management bodies.
import { apiRoute, BY_CONTENT, readJsonBody } from "@/lib/api/route";
import { parseInput } from "@/lib/errors";
import { assertCanPlan, planRegistry } from "@/lib/registry/plan/plan";
import { registryBundleSchema } from "@/lib/validations/registry-bundle";

const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;

export const POST = apiRoute({ permission: BY_CONTENT }, async ({ actor, request }) => {
  assertCanPlan(actor);
  const bundle = parseInput(registryBundleSchema, await readJsonBody(request, MAX_BUNDLE_BYTES));
  return planRegistry(actor, bundle);
});
