// GET /api/workspaces — the workspaces you belong to. POST — start a new one (you become admin).
import { assertSafeMutation } from "@/lib/api/request-guard";
import { errorResponse, json, readJsonBody } from "@/lib/api/route";
import { requireApiUser } from "@/lib/auth/context";
import { parseInput } from "@/lib/errors";
import { workspaceCreateSchema } from "@/lib/validations/registry";
import { createWorkspace, listMyWorkspaces } from "@/lib/workspace/workspaces";

export async function GET() {
  try {
    const user = await requireApiUser();
    return json(await listMyWorkspaces(user.userId));
  } catch (error) {
    return errorResponse(error);
  }
}

export async function POST(request: Request) {
  try {
    assertSafeMutation(request);
    const user = await requireApiUser();
    const body = parseInput(workspaceCreateSchema, await readJsonBody(request));
    return json(await createWorkspace(user.userId, user.email, body), 201);
  } catch (error) {
    return errorResponse(error);
  }
}
