// POST /api/invitations/accept — the invited person accepts with the link's token (no session needed).
import { publicRoute } from "@/lib/api/route";
import { invitationAcceptSchema } from "@/lib/validations/accounts";
import { acceptInvitation } from "@/lib/workspace/invitations";

export const POST = publicRoute({ body: invitationAcceptSchema }, ({ body }) => acceptInvitation(body));
