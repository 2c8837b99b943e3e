// GET /api/workspaces — the workspaces you belong to. POST — start a new one (you become admin).
import { json, personRoute } from "@/lib/api/route";
import { workspaceCreateSchema } from "@/lib/validations/workspace";
import { createWorkspace, listMyWorkspaces } from "@/lib/workspace/workspaces";

export const GET = personRoute({ auth: "user" }, ({ user }) => listMyWorkspaces(user.userId));

export const POST = personRoute({ auth: "user", body: workspaceCreateSchema }, async ({ user, body }) =>
  json(await createWorkspace(user.userId, user.email, body), 201),
);
