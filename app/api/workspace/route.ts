// GET /api/workspace — the current workspace and your role. PATCH — settings (admins; growth may
// set require_validation).
import { apiRoute, BY_CONTENT } from "@/lib/api/route";
import { workspaceUpdateSchema } from "@/lib/validations/workspace";
import { getWorkspace, updateWorkspace } from "@/lib/workspace/workspaces";

export const GET = apiRoute({ permission: "workspace.read" }, ({ actor }) => getWorkspace(actor));

export const PATCH = apiRoute({ permission: BY_CONTENT, body: workspaceUpdateSchema }, ({ actor, body }) =>
  updateWorkspace(actor, body),
);
