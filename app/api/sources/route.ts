// GET /api/sources — sources with their write keys (prefixes only). POST — add a source (admins).
import { apiRoute, json } from "@/lib/api/route";
import { createSource, listSources } from "@/lib/registry/sources";
import { sourceCreateSchema } from "@/lib/validations/sources";

export const GET = apiRoute({ permission: "workspace.read" }, ({ actor }) => listSources(actor));

export const POST = apiRoute({ permission: "source.manage", body: sourceCreateSchema }, async ({ actor, body }) =>
  json(await createSource(actor, body), 201),
);
