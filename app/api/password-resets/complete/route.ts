// POST /api/password-resets/complete — set a new password with the e-mailed link's token.
import { personRoute } from "@/lib/api/route";
import { completePasswordReset } from "@/lib/auth/account";
import { passwordResetCompleteSchema } from "@/lib/validations/accounts";

export const POST = personRoute({ auth: "public", body: passwordResetCompleteSchema }, ({ body }) =>
  completePasswordReset(body.token, body.password),
);
