// PATCH /api/members/{id} — change a role. DELETE — remove from the workspace (admins).
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { idSchema } from "@/lib/validations/common";
import { memberUpdateSchema } from "@/lib/validations/workspace";
import { changeMemberRole, removeMember } from "@/lib/workspace/members";

const params = z.object({ id: idSchema });

export const PATCH = apiRoute(
  { permission: "member.manage", params, body: memberUpdateSchema },
  ({ actor, params, body }) => changeMemberRole(actor, params.id, body.role),
);

export const DELETE = apiRoute({ permission: "member.manage", params }, ({ actor, params }) =>
  removeMember(actor, params.id),
);
