// POST /api/mappings/bulk — submit or approve many mappings; one result per mapping.
import { apiRoute } from "@/lib/api/route";
import { bulkTransition } from "@/lib/registry/mappings/transition-mapping";
import { mappingBulkSchema } from "@/lib/validations/mappings";

export const POST = apiRoute({ body: mappingBulkSchema }, ({ actor, body }) =>
  bulkTransition(actor, body.action, body.ids),
);
