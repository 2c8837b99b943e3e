// GET /api/invitations — pending invitations (admins). POST — invite someone by e-mail and role.
import { apiRoute, json } from "@/lib/api/route";
import { invitationCreateSchema } from "@/lib/validations/accounts";
import { inviteMember, listInvitations } from "@/lib/workspace/invitations";

export const GET = apiRoute({ permission: "member.manage" }, ({ actor }) => listInvitations(actor));

export const POST = apiRoute({ permission: "member.manage", body: invitationCreateSchema }, async ({ actor, body }) =>
  json(await inviteMember(actor, body), 201),
);
