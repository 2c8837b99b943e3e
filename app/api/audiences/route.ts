// GET /api/audiences — audiences with member counts. POST /api/audiences — define one (admin, growth).
import { apiRoute, json } from "@/lib/api/route";
import { createAudience, listAudiences } from "@/lib/audiences/manage-audiences";
import { audienceCreateSchema } from "@/lib/validations/audiences";

export const GET = apiRoute({ permission: "workspace.read" }, ({ actor }) => listAudiences(actor));

export const POST = apiRoute({ permission: "audience.manage", body: audienceCreateSchema }, async ({ actor, body }) =>
  json(await createAudience(actor, body), 201),
);
