import type { Metadata } from "next";
import { ListTable } from "@/components/ui/list-table";
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
        <ListTable label="Pending invitations" columns={["Invited", "Role", "By", "Expires"]} actions>
          {invitations.map((i) => (
            <InvitationRow key={i.id} invitation={i} />
          ))}
        </ListTable>
      ) : null}
      <ListTable label="Members" columns={["Email", "Name", "Role", "Since"]} actions>
        {rows.map((m) => (
          <MemberRow key={m.id} member={m} manage={manage} self={m.user_id === actor.userId} />
        ))}
      </ListTable>
    </>
  );
}
