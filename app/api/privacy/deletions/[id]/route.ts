// GET /api/privacy/deletions/{id} — one deletion request: status, step and receipt (admins).
import { apiRoute } from "@/lib/api/route";
import { getDeletion } from "@/lib/privacy/deletions";
import { privacyIdParams } from "@/lib/validations/privacy";

export const GET = apiRoute({ permission: "privacy.manage", params: privacyIdParams }, ({ actor, params }) =>
  getDeletion(actor, params.id),
);
