// DELETE /api/invitations/{id} — revoke a pending invitation (admins).
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { idSchema } from "@/lib/validations/common";
import { revokeInvitation } from "@/lib/workspace/invitations";

const params = z.object({ id: idSchema });

export const DELETE = apiRoute({ permission: "member.manage", params }, ({ actor, params }) =>
  revokeInvitation(actor, params.id),
);
