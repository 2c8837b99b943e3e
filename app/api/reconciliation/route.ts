// GET /api/reconciliation — per day × canonical event × destination: received → accepted → queued →
// sent → acknowledged → dead, each difference with its count (from the rollups); format=csv for a file.
import { apiRoute } from "@/lib/api/route";
import { readReconciliation } from "@/lib/metrics/reconciliation";
import { reconciliationResponse } from "@/lib/metrics/reconciliation-csv";
import { reconciliationQuerySchema } from "@/lib/validations/metrics";

export const GET = apiRoute(
  { permission: "workspace.read", query: reconciliationQuerySchema },
  async ({ actor, query }) => reconciliationResponse(await readReconciliation(actor, query), query.format),
);
