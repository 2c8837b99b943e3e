// GET /api/canonical-events — the catalog. POST — add a canonical event with its property schema.
import { apiRoute, json } from "@/lib/api/route";
import { createCanonicalEvent, listCanonicalEvents } from "@/lib/registry/canonical-events";
import { canonicalEventCreateSchema } from "@/lib/validations/canonical-events";

export const GET = apiRoute({ permission: "workspace.read" }, ({ actor }) => listCanonicalEvents(actor));

export const POST = apiRoute(
  { permission: "canonicalEvent.manage", body: canonicalEventCreateSchema },
  async ({ actor, body }) => json(await createCanonicalEvent(actor, body), 201),
);
