// GET /api/registry/export — the registry as one versioned bundle (JSON Schema 2020-12 per
// canonical event, every mapping), pretty-printed with sorted keys so it can live in Git.
import { apiRoute } from "@/lib/api/route";
import { exportRegistry } from "@/lib/registry/plan/export";

export const GET = apiRoute(
  { permission: "workspace.read" },
  async ({ actor }) =>
    new Response(`${JSON.stringify(await exportRegistry(actor), null, 2)}\n`, {
      headers: { "content-type": "application/json; charset=utf-8" },
    }),
);
