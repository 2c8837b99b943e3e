// GET /api/mappings — list with filters, search, sort, pagination.
// POST /api/mappings — propose a mapping (first revision, draft).
import { apiRoute, json } from "@/lib/api/route";
import { createMapping } from "@/lib/registry/mappings/create-mapping";
import { listMappings } from "@/lib/registry/mappings/list-mappings";
import { mappingCreateSchema, mappingListQuerySchema } from "@/lib/validations/mappings";

export const GET = apiRoute({ permission: "workspace.read", query: mappingListQuerySchema }, ({ actor, query }) =>
  listMappings(actor, query),
);

export const POST = apiRoute({ permission: "mapping.edit", body: mappingCreateSchema }, async ({ actor, body }) =>
  json(await createMapping(actor, body), 201),
);
