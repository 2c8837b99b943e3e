// GET /api/destinations — destinations with health (secrets never included).
// POST /api/destinations — add one; secrets are write-only and stored encrypted.
import { apiRoute, json } from "@/lib/api/route";
import { createDestination, listDestinations } from "@/lib/delivery/manage-destinations";
import { destinationCreateSchema } from "@/lib/validations/delivery";

export const GET = apiRoute({ permission: "workspace.read" }, ({ actor }) => listDestinations(actor));

export const POST = apiRoute(
  { permission: "destination.manage", body: destinationCreateSchema },
  async ({ actor, body }) => json(await createDestination(actor, body), 201),
);
