// POST /api/workspaces/switch — choose the workspace the dashboard shows (a cookie).
import { json, personRoute } from "@/lib/api/route";
import { listMemberships, WORKSPACE_COOKIE } from "@/lib/auth/context";
import { notFound } from "@/lib/errors";
import { workspaceSwitchSchema } from "@/lib/validations/workspace";

export const POST = personRoute({ auth: "user", body: workspaceSwitchSchema }, async ({ user, body }) => {
  const membership = (await listMemberships(user.userId)).find(
    (m) => m.workspace.slug === body.workspace || m.workspace.id === body.workspace,
  );
  if (!membership) throw notFound("Workspace");
  const response = json({ slug: membership.workspace.slug, name: membership.workspace.name, role: membership.role });
  response.cookies.set(WORKSPACE_COOKIE, membership.workspace.slug, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
  return response;
});
