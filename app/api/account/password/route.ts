// POST /api/account/password — change your own password; your other sessions end, this one stays.
import { json, personRoute } from "@/lib/api/route";
import { changePassword } from "@/lib/auth/account";
import { reissueSession } from "@/lib/auth/session-cookie";
import { passwordChangeSchema } from "@/lib/validations/accounts";

export const POST = personRoute({ auth: "session", body: passwordChangeSchema }, async ({ user, body, request }) => {
  const { sessionVersion } = await changePassword(user.userId, body.current_password, body.new_password);
  const response = json({ changed: true });
  await reissueSession(request, response, sessionVersion);
  return response;
});
