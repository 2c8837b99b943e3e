// POST /api/invitations/accept — the invited person accepts with the link's token (no session needed).
import { personRoute } from "@/lib/api/route";
import { invitationAcceptSchema } from "@/lib/validations/accounts";
import { acceptInvitation } from "@/lib/workspace/invitations";

export const POST = personRoute({ auth: "public", body: invitationAcceptSchema }, ({ body }) => acceptInvitation(body));
