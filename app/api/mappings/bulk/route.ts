// POST /api/mappings/bulk — submit or approve many mappings; one result per mapping.
import { apiRoute, BY_CONTENT } from "@/lib/api/route";
import { bulkTransition } from "@/lib/registry/mappings/transition-mapping";
import { mappingBulkSchema } from "@/lib/validations/mappings";

export const POST = apiRoute({ permission: BY_CONTENT, body: mappingBulkSchema }, ({ actor, body }) =>
  bulkTransition(actor, body.action, body.ids),
);
