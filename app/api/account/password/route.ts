// POST /api/account/password — change your own password; your other sessions end, this one stays.
import { json, publicRoute } from "@/lib/api/route";
import { changePassword } from "@/lib/auth/account";
import { requireSessionUser } from "@/lib/auth/context";
import { reissueSession } from "@/lib/auth/session-cookie";
import { passwordChangeSchema } from "@/lib/validations/accounts";

export const POST = publicRoute({ body: passwordChangeSchema }, async ({ body, request }) => {
  const { userId } = await requireSessionUser();
  const { sessionVersion } = await changePassword(userId, body.current_password, body.new_password);
  const response = json({ changed: true });
  await reissueSession(request, response, sessionVersion);
  return response;
});
