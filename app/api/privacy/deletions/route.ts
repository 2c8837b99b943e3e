// GET /api/privacy/deletions — deletion requests with their receipts. POST — file one by user_id,
// anonymous_id or e-mail (admins): 202 while the worker erases; 200 with the open request for that person.
import { apiRoute, json } from "@/lib/api/route";
import { fileDeletion, listDeletions } from "@/lib/privacy/deletions";
import { deletionCreateSchema } from "@/lib/validations/privacy";

export const GET = apiRoute({ permission: "privacy.manage" }, ({ actor }) => listDeletions(actor));

export const POST = apiRoute({ permission: "privacy.manage", body: deletionCreateSchema }, async ({ actor, body }) => {
  const { deletion, created } = await fileDeletion(actor, body);
  return json(deletion, created ? 202 : 200);
});
