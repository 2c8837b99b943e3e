// POST /api/password-resets — e-mail a reset link. The answer is the same whether or not the account exists.
import { json, personRoute } from "@/lib/api/route";
import { RESET_ANSWER, requestPasswordReset } from "@/lib/auth/account";
import { clientAddress } from "@/lib/auth/sign-in-throttle";
import { passwordResetRequestSchema } from "@/lib/validations/accounts";

export const POST = personRoute({ auth: "public", body: passwordResetRequestSchema }, async ({ body, request }) => {
  await requestPasswordReset(body.email, clientAddress(request.headers));
  return json(RESET_ANSWER, 202);
});
