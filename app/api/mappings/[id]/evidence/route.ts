// GET /api/mappings/{id}/evidence — observed properties of the source event's recent events and a dry run of a revision.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { mappingEvidence } from "@/lib/registry/mappings/evidence";
import { idSchema } from "@/lib/validations/common";
import { mappingEvidenceQuerySchema } from "@/lib/validations/evidence";

const params = z.object({ id: idSchema });

export const GET = apiRoute(
  { permission: "workspace.read", params, query: mappingEvidenceQuerySchema },
  ({ actor, params, query }) => mappingEvidence(actor, params.id, query.revision),
);
