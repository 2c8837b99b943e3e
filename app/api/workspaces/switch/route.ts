// POST /api/workspaces/switch — choose the workspace the dashboard shows (a cookie).
import { assertSafeMutation } from "@/lib/api/request-guard";
import { errorResponse, json, readJsonBody } from "@/lib/api/route";
import { listMemberships, requireApiUser, WORKSPACE_COOKIE } from "@/lib/auth/context";
import { notFound, parseInput } from "@/lib/errors";
import { workspaceSwitchSchema } from "@/lib/validations/registry";

export async function POST(request: Request) {
  try {
    assertSafeMutation(request);
    const user = await requireApiUser();
    const { workspace } = parseInput(workspaceSwitchSchema, await readJsonBody(request));
    const membership = (await listMemberships(user.userId)).find(
      (m) => m.workspace.slug === workspace || m.workspace.id === workspace,
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
  } catch (error) {
    return errorResponse(error);
  }
}
