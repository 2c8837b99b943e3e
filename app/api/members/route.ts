// GET /api/members — the workspace's people and roles. POST — add someone (admins).
import { apiRoute, json } from "@/lib/api/route";
import { memberAddSchema } from "@/lib/validations/workspace";
import { addMember, listMembers } from "@/lib/workspace/members";

export const GET = apiRoute({ permission: "workspace.read" }, ({ actor }) => listMembers(actor));

export const POST = apiRoute({ permission: "member.manage", body: memberAddSchema }, async ({ actor, body }) =>
  json(await addMember(actor, body), 201),
);
