// GET /api/audiences/{key} — an audience with its syncs and per-destination status. PATCH — edit it (admin, growth).
import { apiRoute } from "@/lib/api/route";
import { audienceDetail } from "@/lib/audiences/audience-status";
import { updateAudience } from "@/lib/audiences/manage-audiences";
import { audienceKeyParams, audienceUpdateSchema } from "@/lib/validations/audiences";

export const GET = apiRoute({ permission: "workspace.read", params: audienceKeyParams }, ({ actor, params }) =>
  audienceDetail(actor, params.key),
);

export const PATCH = apiRoute(
  { permission: "audience.manage", params: audienceKeyParams, body: audienceUpdateSchema },
  ({ actor, params, body }) => updateAudience(actor, params.key, body),
);
