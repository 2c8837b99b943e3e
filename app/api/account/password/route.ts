// POST /api/account/password — change your own password; your other sessions end, this one stays;
// `revoke_tokens: true` also revokes your personal access tokens.
import { json, personRoute } from "@/lib/api/route";
import { changePassword } from "@/lib/auth/account";
import { reissueSession } from "@/lib/auth/session-cookie";
import { passwordChangeSchema } from "@/lib/validations/accounts";

export const POST = personRoute({ auth: "session", body: passwordChangeSchema }, async ({ user, body, request }) => {
  const { sessionVersion, tokensRevoked } = await changePassword(
    user.userId,
    body.current_password,
    body.new_password,
    {
      revokeTokens: body.revoke_tokens,
    },
  );
  const response = json({ changed: true, tokens_revoked: tokensRevoked });
  await reissueSession(request, response, sessionVersion);
  return response;
});
