// GET /api/source-events/evidence — a source event's observed properties (and a dry run against a canonical event) before it is mapped.
import { apiRoute } from "@/lib/api/route";
import { sourceEventEvidence } from "@/lib/registry/mappings/evidence";
import { sourceEventEvidenceQuerySchema } from "@/lib/validations/evidence";

export const GET = apiRoute(
  { permission: "workspace.read", query: sourceEventEvidenceQuerySchema },
  ({ actor, query }) => sourceEventEvidence(actor, query),
);
