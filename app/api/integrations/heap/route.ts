// GET /api/integrations/heap — the Heap segment sync URL and secret (admins).
// POST /api/integrations/heap — set it up, change the identity kind or rotate the secret (admins).
import { apiRoute } from "@/lib/api/route";
import { configureHeapIntegration, getHeapIntegration } from "@/lib/audiences/heap/integration";
import { heapIntegrationSchema } from "@/lib/validations/audiences";

export const GET = apiRoute({ permission: "workspace.settings" }, ({ actor }) => getHeapIntegration(actor));

export const POST = apiRoute({ permission: "workspace.settings", body: heapIntegrationSchema }, ({ actor, body }) =>
  configureHeapIntegration(actor, body),
);
