// POST /api/audiences/{key}/members — add / remove members (write key).
// PUT /api/audiences/{key}/members — the full membership, in one call or in pages (write key).
// GET /api/audiences/{key}/members?member= — is this id (or the profile it resolves to) a member (session or token).
import { apiRoute } from "@/lib/api/route";
import { lookupMember } from "@/lib/audiences/audience-status";
import { handleMembers } from "@/lib/audiences/members-api";
import { changeMembers, putSnapshot } from "@/lib/audiences/membership";
import {
  audienceKeyParams,
  memberLookupQuerySchema,
  membersChangeSchema,
  membersSnapshotSchema,
} from "@/lib/validations/audiences";

export const POST = handleMembers(membersChangeSchema, changeMembers);

export const PUT = handleMembers(membersSnapshotSchema, putSnapshot);

export const GET = apiRoute(
  { permission: "workspace.read", params: audienceKeyParams, query: memberLookupQuerySchema },
  ({ actor, params, query }) => lookupMember(actor, params.key, query.member),
);
