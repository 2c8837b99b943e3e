// The accounts part of the OpenAPI document: invitations (admins), your own password (a signed-in
// session), and the public steps that need no session (accepting an invitation, resetting a password).
import { z } from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from "zod-openapi";
import { failure, op } from "@/lib/api/openapi/operation";
import * as acc from "@/lib/validations/accounts";
import { idSchema } from "@/lib/validations/common";

const linkOp = (
  summary: string,
  body: z.ZodType,
  answers: Record<string, string>,
  security: ZodOpenApiOperationObject["security"] = [],
): ZodOpenApiOperationObject => ({
  summary,
  tags: ["Accounts"],
  security,
  requestBody: { content: { "application/json": { schema: body } } },
  responses: {
    ...Object.fromEntries(Object.entries(answers).map(([code, description]) => [code, { description }])),
    "400": failure("Malformed JSON or invalid fields (issues carry field paths)"),
    "429": failure("Too many attempts; Retry-After says when to try again"),
  },
});

export const accountPaths: ZodOpenApiPathsObject = {
  "/api/invitations": {
    get: op({ tag: "Accounts", summary: "Pending invitations (admins)" }),
    post: op({
      tag: "Accounts",
      summary:
        "Invite someone by e-mail and role: the single-use link is e-mailed when SMTP is configured, else returned once as url",
      body: acc.invitationCreateSchema,
      created: true,
    }),
  },
  "/api/invitations/{id}": {
    delete: op({ tag: "Accounts", summary: "Revoke a pending invitation", path: z.object({ id: idSchema }) }),
  },
  "/api/invitations/accept": {
    post: linkOp("Accept an invitation with its link's token (no session needed)", acc.invitationAcceptSchema, {
      "200": "Joined the workspace; sign in with the password",
      "404": "The link was used, revoked or has expired",
      "422": "Password too short, or not the existing account's password",
    }),
  },
  "/api/account/password": {
    post: linkOp(
      "Change your own password (session only); your other sessions end, and your access tokens too with `revoke_tokens`",
      acc.passwordChangeSchema,
      {
        "200": "Changed (`tokens_revoked`: how many access tokens were revoked); this session's cookie is re-issued",
        "401": "Not signed in",
        "403": "Called with an access token",
        "422": "The current password is not right",
      },
      [{ session: [] }],
    ),
  },
  "/api/password-resets": {
    post: linkOp(
      "E-mail a password reset link (the answer never tells whether the account exists)",
      acc.passwordResetRequestSchema,
      {
        "202": "Accepted",
      },
    ),
  },
  "/api/password-resets/complete": {
    post: linkOp(
      "Set a new password with the e-mailed link's token; every session and access token of the account ends",
      acc.passwordResetCompleteSchema,
      {
        "200": "Password set (`tokensRevoked`: access tokens revoked)",
        "404": "The link was used or has expired",
      },
    ),
  },
};
