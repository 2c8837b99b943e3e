import type { Metadata } from "next";
import { TableScroll } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page";
import { can, ROLE_DESCRIPTIONS, ROLES } from "@/lib/auth/permissions";
import { listInvitations } from "@/lib/workspace/invitations";
import { listMembers } from "@/lib/workspace/members";
import { InvitationRow, InviteMemberForm, MemberRow } from "./member-forms";

export const metadata: Metadata = { title: "Members & roles" };

export default async function MembersPage() {
  const actor = await requirePageActor();
  const { rows } = await listMembers(actor);
  const manage = can(actor.role, "member.manage");
  const invitations = manage ? (await listInvitations(actor)).rows : [];
  return (
    <>
      <h1>Members & roles</h1>
      <div className="panel">
        <dl className="facts">
          {ROLES.map((r) => (
            <div key={r} style={{ display: "contents" }}>
              <dt>{r}</dt>
              <dd>{ROLE_DESCRIPTIONS[r]}</dd>
            </div>
          ))}
        </dl>
      </div>
      {manage ? (
        <details className="panel">
          <summary>Invite a member</summary>
          <InviteMemberForm />
        </details>
      ) : null}
      {manage && invitations.length > 0 ? (
        <TableScroll>
          <table aria-label="Pending invitations">
            <thead>
              <tr>
                <th>Invited</th>
                <th>Role</th>
                <th>By</th>
                <th>Expires</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <InvitationRow key={i.id} invitation={i} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      <TableScroll>
        <table aria-label="Members">
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Role</th>
              <th>Since</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <MemberRow key={m.id} member={m} manage={manage} self={m.user_id === actor.userId} />
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
