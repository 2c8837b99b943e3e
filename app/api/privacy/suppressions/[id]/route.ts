// DELETE /api/privacy/suppressions/{id} — lift a suppression: the person's later calls are stored and delivered again.
import { apiRoute } from "@/lib/api/route";
import { liftSuppression } from "@/lib/privacy/suppressions";
import { privacyIdParams } from "@/lib/validations/privacy";

export const DELETE = apiRoute({ permission: "privacy.manage", params: privacyIdParams }, ({ actor, params }) =>
  liftSuppression(actor, params.id),
);
